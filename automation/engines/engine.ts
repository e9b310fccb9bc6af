/**
 * One interface for the two engines that run the program: the real Pulumi engine
 * (Automation API) and the offline engine (mock runtime + in-process policy rules).
 * The promotion core only ever talks to an `Engine`.
 */
import { Tier } from "../../contract/catalog";
import type { PolicyViolation } from "../../policies/evaluator";

export type EngineName = "pulumi" | "offline";

/** A policy result as both engines report it: the shared evaluator's type (the Pulumi CLI says "warning" for advisory). */
export type { PolicyViolation } from "../../policies/evaluator";

/** Name of the stack output that carries the OtpGate's seed (a secret output). */
export const OTP_SEED_OUTPUT = "otpSeed";

/** Placeholder that replaces a secret value, as the Pulumi CLI prints it. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * `text` with every known secret replaced by the placeholder, for error texts that are printed
 * or recorded (audit log, state). Unknown (undefined or empty) secrets are skipped; longer
 * secrets are masked first so a secret that contains another is masked whole.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
    const known = secrets.filter((s): s is string => !!s).sort((a, b) => b.length - a.length);
    return known.reduce((masked, secret) => masked.split(secret).join(SECRET_PLACEHOLDER), text);
}

/** A declared resource with its inputs, enough for the cost model and reports. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    props: Record<string, any>;
}

export interface EngineRequest {
    /** Stack name, e.g. dev or prod. */
    stack: string;
    /** Tier to preview or deploy. */
    tier: Tier;
    /** Extra project config (key without namespace -> string value) layered over the stack file. */
    configOverrides?: Record<string, string>;
    /** Streamed progress lines for the terminal. */
    onOutput?: (line: string) => void;
    /** Cancels a running `up` (the driver's rollout watch aborts it when the cluster refuses the step). */
    signal?: AbortSignal;
    /**
     * The step's plan. preview: `file` is where the pulumi engine saves the update plan
     * (`preview --save-plan`). up: `file` is the plan the pulumi engine applies (`up --plan`, which
     * refuses any operation the plan does not hold); `digest` is the previewed plan's digest, which
     * the offline engine's `up` must reproduce before it records anything.
     */
    plan?: { file?: string; digest?: string };
    /**
     * Policies (`pack/policy`) that run advisory for this operation: those whose every mandatory
     * violation in the step's preview is covered by an active exemption (the driver re-checks the
     * results against the exemptions).
     */
    advisoryPolicies?: string[];
}

export interface EngineResult {
    engine: EngineName;
    stack: string;
    tier: Tier;
    /** false when the engine itself failed (not when policies reported violations). */
    ok: boolean;
    resources: PlannedResource[];
    policyViolations: PolicyViolation[];
    /** Plain outputs only; secret outputs are replaced by "[secret]". */
    outputs: Record<string, unknown>;
    /** Names of outputs that are secret. */
    secretOutputs: string[];
    /** Engine failure, with its cause, when ok is false. */
    error?: string;
    /** What this engine cannot know (the offline engine says it is offline and lists what it guesses). */
    caveats: string[];
    durationMs: number;
    /** Digest of the declared resources (promotion/planDigest.ts); set by preview and up. */
    planDigest?: string;
    /** up: the engine refused because the plan it would apply is not the previewed one. */
    planChanged?: boolean;
}

/** A resource whose live state differs from the recorded state (someone changed it outside the engine). */
export interface DriftedResource {
    urn: string;
    type: string;
    /** "update": changed in place; "delete": gone from the target. */
    op: string;
    /** Properties that differ, when the engine says. */
    properties: string[];
}

export interface Engine {
    readonly name: EngineName;
    /** Preview the stack at `tier` with all four policy packs. */
    preview(request: EngineRequest): Promise<EngineResult>;
    /** Deploy the stack at `tier`. */
    up(request: EngineRequest): Promise<EngineResult>;
    /** Current outputs of the deployed stack (secrets masked). */
    outputs(stack: string): Promise<Record<string, unknown>>;
    /**
     * The OTP seed of the stack's OtpGate (secret output `otpSeed`), for verifying approval codes.
     * Never logged or written anywhere by callers.
     */
    otpSeed(stack: string): Promise<string | undefined>;
    /**
     * The tier the engine's own state says is deployed (pulumi: the stack output `tier`; offline:
     * the snapshot's tier): null when nothing is deployed, undefined when the engine cannot tell.
     * The driver cross-checks its tier of record against it before every promotion.
     */
    deployedTier(stack: string): Promise<Tier | null | undefined>;
    /** Reconcile state with reality (pulumi: `refresh`; offline: nothing to reconcile). */
    refresh(stack: string): Promise<EngineResult>;
    /**
     * What differs between the recorded state and the live resources, without changing either
     * (pulumi: a refresh preview). Engines that cannot see live resources leave it out.
     */
    drift?(stack: string): Promise<DriftedResource[]>;
}
