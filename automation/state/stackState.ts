/**
 * Driver state of one stack: `<state-dir>/stacks/<stack>.json`, written atomically
 * (temporary file + rename) so a crash never leaves half a file.
 * Holds the tier, the last promotion, the step in progress (written before `up`),
 * the gates the last run stopped at, and the OTP bookkeeping (hashes of used counters,
 * times of wrong codes, the lockout). Never the OTP seed, never a code.
 */
import * as fs from "fs";
import * as path from "path";
import { Tier, TIERS } from "../../contract/catalog";
import { EngineName } from "../engines/engine";
import { DriverError, ExitCode } from "../exitCodes";
import { ensureDir, readTextIfExists, writeFileAtomic } from "./safeFs";

/** What a promotion step does: go up one tier, or roll back. */
export type StepKind = "promote" | "rollback";

export type StepResult = "succeeded" | "policy-denied" | "over-cap" | "otp-refused" | "plan-changed" | "target-refused" | "drift-refused" | "drift-adopted" | "failed" | "interrupted" | "rolled-back";

export interface StepRecord {
    /** Identifies a step across the in-progress record, the final record and the audit log. */
    stepId: string;
    kind: StepKind;
    from: Tier | null;
    to: Tier;
    engine: EngineName;
    actor: string;
}

export interface InProgressStep extends StepRecord {
    startedAt: string;
    pid: number;
    host: string;
}

export interface LastPromotion extends StepRecord {
    result: StepResult;
    time: string;
    /** Plain stack outputs after the step (the engines mask secrets as "[secret]"). */
    outputs?: Record<string, unknown>;
}

/** A gate the last run stopped at, shown by `status` until a step gets past it. */
export interface PendingGate {
    gate: "policy" | "cost" | "otp" | "plan" | "target" | "drift" | "engine" | "interrupted" | "order";
    to: Tier;
    message: string;
    time: string;
}

export interface OtpBookkeeping {
    /** SHA-256 of `<stack>:<counter>` of accepted codes, kept until the code's window has passed. */
    usedCounters: { hash: string; expiresAt: string }[];
    /** Times of wrong codes within the lockout window. */
    wrongCodes: string[];
    /** Promotions of the stack are refused until then. */
    lockedUntil?: string;
}

/**
 * A step whose `up` started and then failed or was interrupted: the stack may hold part of that
 * step's resources until an `up` succeeds (a retry, or `--rollback` re-applying the recorded tier).
 */
export interface FailedUp {
    stepId: string;
    kind: StepKind;
    /** Tier the failed step was deploying. */
    to: Tier;
    result: "failed" | "interrupted";
    time: string;
}

export interface StackState {
    version: 1;
    stack: string;
    /**
     * The environment the stack declared when it was first deployed (its stack file's
     * `environment`): a later declaration of another environment is refused, so editing the stack
     * file cannot move a stack out of prod's rules.
     */
    environment?: string;
    /** Last tier reached successfully; null when never deployed. */
    tier: Tier | null;
    lastPromotion?: LastPromotion;
    inProgress?: InProgressStep;
    /** Set while the last `up` failed or was interrupted; cleared by the next successful `up`. */
    failedUp?: FailedUp;
    /**
     * Set when a run chose `--on-drift overwrite`: until a step succeeds, every run applies with
     * force (the refresh already took the drift into the state, so the next run would not see it
     * again, while the fields other managers took would still conflict).
     */
    driftOverwrite?: { actor: string; time: string; what: string };
    pendingGates: PendingGate[];
    otp: OtpBookkeeping;
}

/** Longest stack name: it becomes a file name in several places. */
export const MAX_STACK_NAME = 100;
const STACK_NAME = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,${MAX_STACK_NAME - 1}}$`);

/** Stack names become file names: refuse anything that could leave the state directory. */
export function assertStackName(stack: string): void {
    if (!STACK_NAME.test(stack)) {
        throw new DriverError(
            ExitCode.BadInput,
            `--stack "${stack}" is not a valid stack name: use 1 to ${MAX_STACK_NAME} characters, letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. dev`,
        );
    }
}

const RESULTS: readonly StepResult[] = ["succeeded", "policy-denied", "over-cap", "otp-refused", "plan-changed", "target-refused", "drift-refused", "drift-adopted", "failed", "interrupted", "rolled-back"];
const GATES: readonly PendingGate["gate"][] = ["policy", "cost", "otp", "plan", "target", "drift", "engine", "interrupted", "order"];
const KINDS: readonly StepKind[] = ["promote", "rollback"];

/**
 * Every problem of a parsed state document, each naming the field and what it holds; empty when
 * the document has the shape of a StackState of `stack`.
 */
export function stateProblems(doc: unknown, stack: string): string[] {
    const problems: string[] = [];
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        return [`the document is ${Array.isArray(doc) ? "a list" : doc === null ? "null" : `a ${typeof doc}`}, not an object with version, stack, tier, pendingGates and otp`];
    }
    const d = doc as Record<string, any>;
    const show = (v: unknown) => JSON.stringify(v) ?? String(v);
    const isTime = (v: unknown) => typeof v === "string" && !Number.isNaN(Date.parse(v));
    const isTier = (v: unknown) => typeof v === "number" && TIERS.includes(v as Tier);
    if (d.version !== 1) problems.push(`version is ${show(d.version)}, expected 1`);
    if (d.stack !== stack) problems.push(`stack is ${show(d.stack)}, expected "${stack}" (the file's name)`);
    if (!(d.tier === null || isTier(d.tier))) problems.push(`tier is ${show(d.tier)}: a tier is null (never deployed) or the number 0, 1, 2 or 3`);
    if (d.environment !== undefined && (typeof d.environment !== "string" || !d.environment)) problems.push(`environment is ${show(d.environment)}, expected a name`);
    const step = (field: string, v: any) => {
        if (v === null || typeof v !== "object" || Array.isArray(v)) return problems.push(`${field} is ${show(v)}, expected an object`);
        if (typeof v.stepId !== "string" || !v.stepId) problems.push(`${field}.stepId is ${show(v.stepId)}`);
        if (!KINDS.includes(v.kind)) problems.push(`${field}.kind is ${show(v.kind)}, expected promote or rollback`);
        if (!(v.from === null || isTier(v.from))) problems.push(`${field}.from is ${show(v.from)}, expected null or a tier 0-3`);
        if (!isTier(v.to)) problems.push(`${field}.to is ${show(v.to)}, expected a tier 0-3`);
        return 0;
    };
    if (d.lastPromotion !== undefined) {
        step("lastPromotion", d.lastPromotion);
        if (d.lastPromotion && !RESULTS.includes(d.lastPromotion.result)) problems.push(`lastPromotion.result is ${show(d.lastPromotion.result)}`);
    }
    if (d.inProgress !== undefined) {
        step("inProgress", d.inProgress);
        if (d.inProgress && !Number.isInteger(d.inProgress.pid)) problems.push(`inProgress.pid is ${show(d.inProgress.pid)}, expected a process id`);
    }
    if (d.failedUp !== undefined) {
        const f = d.failedUp;
        if (f === null || typeof f !== "object") problems.push(`failedUp is ${show(f)}, expected an object`);
        else {
            if (!KINDS.includes(f.kind)) problems.push(`failedUp.kind is ${show(f.kind)}`);
            if (!isTier(f.to)) problems.push(`failedUp.to is ${show(f.to)}, expected a tier 0-3`);
            if (f.result !== "failed" && f.result !== "interrupted") problems.push(`failedUp.result is ${show(f.result)}`);
        }
    }
    if (d.driftOverwrite !== undefined) {
        const o = d.driftOverwrite;
        if (o === null || typeof o !== "object" || typeof o.actor !== "string" || !isTime(o.time) || typeof o.what !== "string") {
            problems.push(`driftOverwrite is ${show(o)}, expected {actor, time, what}`);
        }
    }
    if (!Array.isArray(d.pendingGates)) problems.push(`pendingGates is ${show(d.pendingGates)}, expected a list`);
    else d.pendingGates.forEach((g: any, i: number) => {
        if (!g || !GATES.includes(g.gate) || !isTier(g.to) || typeof g.message !== "string") problems.push(`pendingGates[${i}] is ${show(g)}`);
    });
    const otp = d.otp;
    if (otp === null || typeof otp !== "object" || Array.isArray(otp)) problems.push(`otp is ${show(otp)}, expected an object with usedCounters, wrongCodes and lockedUntil`);
    else {
        if (!Array.isArray(otp.usedCounters) || otp.usedCounters.some((u: any) => !u || typeof u.hash !== "string" || !isTime(u.expiresAt))) {
            problems.push(`otp.usedCounters is ${show(otp.usedCounters)}, expected a list of {hash, expiresAt}`);
        }
        if (!Array.isArray(otp.wrongCodes) || otp.wrongCodes.some((t: unknown) => !isTime(t))) problems.push(`otp.wrongCodes is ${show(otp.wrongCodes)}, expected a list of times`);
        if (otp.lockedUntil !== undefined && !isTime(otp.lockedUntil)) problems.push(`otp.lockedUntil is ${show(otp.lockedUntil)}, expected a time`);
    }
    return problems;
}

/** How to get out of an unusable state file: never "remove it", which would forget the stack. */
export function repairAdvice(stack: string): string {
    return `restore it from your backup of the state directory, or rebuild it from the audit log with \`repair-state --stack ${stack}\``;
}

export function emptyState(stack: string): StackState {
    return { version: 1, stack, tier: null, pendingGates: [], otp: { usedCounters: [], wrongCodes: [] } };
}

export class StateStore {
    constructor(readonly stateDir: string) {}

    stackFile(stack: string): string {
        assertStackName(stack);
        return path.join(this.stateDir, "stacks", `${stack}.json`);
    }

    /** Whether the stack has a state file at all. */
    exists(stack: string): boolean {
        return fs.existsSync(this.stackFile(stack));
    }

    /**
     * The stack's state; a missing file is a never-deployed stack (cross-checked against the audit
     * log and the engine before a promotion). A file that cannot be read, is not JSON, or is not
     * of the StackState shape is refused (exit 9) naming the file, every bad field and the repair.
     */
    read(stack: string): StackState {
        const file = this.stackFile(stack);
        const text = readTextIfExists(file, "state file");
        if (text === undefined) return emptyState(stack);
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch (e) {
            throw new DriverError(ExitCode.StateProblem, `state file ${file} is not valid JSON (${(e as Error).message}); ${repairAdvice(stack)}`);
        }
        const problems = stateProblems(parsed, stack);
        if (problems.length) {
            throw new DriverError(
                ExitCode.StateProblem,
                `state file ${file} is not a state of stack ${stack}: ${problems.join("; ")}; ${repairAdvice(stack)}`,
            );
        }
        return parsed as StackState;
    }

    write(state: StackState): void {
        const file = this.stackFile(state.stack);
        writeFileAtomic(file, JSON.stringify(state, null, 2) + "\n", 0o600);
    }

    /** Read, change, write. */
    update(stack: string, change: (state: StackState) => void): StackState {
        const state = this.read(stack);
        change(state);
        this.write(state);
        return state;
    }

    /** Stacks with a state file. */
    stacks(): string[] {
        const dir = path.join(this.stateDir, "stacks");
        if (!fs.existsSync(dir)) return [];
        return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length)).sort();
    }

    /** Creates the stacks folder (faults become refusals). */
    ensure(): void {
        ensureDir(path.join(this.stateDir, "stacks"));
    }
}
