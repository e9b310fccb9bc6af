/**
 * The promotion's shared types: the kinds of step, what a run is given (options, hooks) and what
 * it reports (step and run summaries). State, audit and the CLI read these without importing the
 * planner or the runner.
 */
import { Tier } from "../../contract/catalog";
import type { AuditCost, AuditHead, AuditTarget, AuditViolation, StepAuditRecord } from "../audit/auditLog";
import type { DriverConfig } from "../driverConfig";
import type { PolicyExemption } from "../../config/config";
import type { Engine, EngineResult, PolicyViolation } from "../engines/engine";
import type { ExitCode } from "../exitCodes";
import type { StepResult } from "../state/stackState";
import type { StepTarget } from "../targets/kubernetesTarget";
import type { CostCaps, CostEstimator } from "./gates";
import type { PlannedStep, PromotionRequest } from "./plan";

export type OtpGateOutcome = { ok: true; verified: boolean; message: string } | { ok: false; message: string; lockedUntil?: string };

export interface PromotionHooks {
    /**
     * Called after the in-progress record is written and right before `up` starts: a throw here
     * leaves the step in progress, as a crash during `up` would (the tests use it with fake
     * engines). A real crash inside an offline `up` is injected with PROMOTION_CRASH_DURING_UP
     * (see engines/offline/offlineEngine.ts).
     */
    duringUp?: (step: PlannedStep) => void | Promise<void>;
    /** Called after a step's preview passed the policy gate, e.g. to write a review report; returns where it went. */
    afterPreview?: (step: PlannedStep, preview: EngineResult, cost: AuditCost) => Promise<string | undefined>;
}

export interface PromotionOptions {
    stack: string;
    request: PromotionRequest;
    stateDir: string;
    driverConfig: DriverConfig;
    /** Caps of the stack at a tier (from the stack file plus overrides); throws on bad config. */
    capsFor: (tier: Tier) => CostCaps;
    /**
     * The policy enforcement a run at `tier` would use (stack file plus overrides) and whether an
     * override set it; environments in `driverConfig.mandatoryEnforcementFor` refuse anything
     * but mandatory. Default: not checked (tests of other gates).
     */
    enforcementFor?: (tier: Tier) => { level: string; overridden: boolean };
    /** Lowest tier the stack's platform runs (the first deployment); default 0. Evaluated under the lock. */
    lowestTier?: Tier | (() => Tier);
    /** The environment the stack declares (its stack file's `environment`); default the stack name. Evaluated under the lock. */
    environment?: string | (() => string);
    /**
     * Highest recorded tier of the stacks of each environment, for the order rule; default: the
     * state of the stack named like the environment.
     */
    environmentTiers?: () => Record<string, Tier | null>;
    estimateCost: CostEstimator;
    actor: string;
    /** The code from --otp / PROMOTION_OTP. */
    otpCode?: string;
    /** Let the stack's very first deployment (nothing deployed, so no OtpGate) pass without a code. */
    bootstrapOtpGate?: boolean;
    configOverrides?: Record<string, string>;
    /** Command line, written into the lock so a refused run can name it. */
    command?: string;
    now?: () => Date;
    hooks?: PromotionHooks;
    /** Progress lines for the terminal. */
    log?: (line: string) => void;
    /** Secrets an error text might carry (e.g. the Pulumi passphrase), masked in output, audit and state. */
    secrets?: (string | undefined)[];
    /** The stack's exemptions at a tier (its stack file's `policyExemptions`); default none. */
    exemptionsFor?: (tier: Tier) => PolicyExemption[];
    /**
     * The plan digest the approver approved (`--approve-plan`, from a review report): the step's
     * preview must yield exactly this plan, else the step stops (plan-changed, exit 10). Only for
     * a run of one step.
     */
    approvedPlan?: string;
    /** Accept the audit chain's current breaks (recorded as a `chain-acknowledged` record) instead of refusing. */
    acknowledgeChainBreaks?: boolean;
    /**
     * The clusters a step at `tier` deploys to, for the preflight before `up`, the rollout watch
     * during it and the verification after it; undefined when the stack has no reachable target.
     */
    targetFor?: (tier: Tier) => StepTarget | undefined;
    /** Skip the preflight (the step still gets the watch and the verification); recorded in the audit line. */
    skipPreflight?: boolean;
    /**
     * When the deployed stack drifted from the state: "adopt" records the live values in the state
     * (refresh) and ends the run, so the next run's review shows what the program would change
     * back; "overwrite" refreshes and goes on, so `up` restores the program's values. Default:
     * refuse with ExitCode.Drift.
     */
    onDrift?: "adopt" | "overwrite";
    /** Set by the drift gate when the user chose overwrite: noted on the run's first step. */
    driftNote?: string;
}

export interface StepSummary {
    stepId: string;
    kind: PlannedStep["kind"];
    from: Tier | null;
    to: Tier;
    result: StepResult;
    otpRequired: boolean;
    otpVerified: boolean;
    /** The stepId of the earlier step of this run whose verified code approved this one. */
    otpApprovedInStep?: string;
    policyViolations: AuditViolation[];
    cost?: AuditCost;
    reportPath?: string;
    message?: string;
    /** Digest of the step's previewed plan. */
    planDigest?: string;
    /** Exemptions that matched nothing in the step's preview. */
    staleExemptions: PolicyExemption[];
    /** The step's policy results with messages and exemptions (SARIF, JUnit). */
    violations: PolicyViolation[];
    /** Whether the step's preview ran. */
    previewed: boolean;
    /** The target's preflight and verification (Kubernetes targets). */
    target?: AuditTarget;
    durationMs: number;
}

export interface PromotionSummary {
    command: "promote";
    stack: string;
    engine: Engine["name"];
    ok: boolean;
    exitCode: ExitCode;
    message: string;
    startTier: Tier | null;
    finalTier: Tier | null;
    steps: StepSummary[];
    /** Steps an earlier run left unfinished, reported as interrupted by this run. */
    interrupted: StepAuditRecord[];
    caveats: string[];
    /** The audit log's head after the run: anchor it outside the state dir (CI log, stack output). */
    auditHead?: AuditHead;
}
