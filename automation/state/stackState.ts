/**
 * Driver state of one stack: `<state-dir>/stacks/<stack>.json`, written atomically
 * (temporary file + rename) so a crash never leaves half a file.
 * Holds the tier, the last promotion, the step in progress (written before `up`),
 * the gates the last run stopped at, and the OTP bookkeeping (hashes of used counters,
 * times of wrong codes, the lockout). Never the OTP seed, never a code.
 */
import * as fs from "fs";
import * as path from "path";
import { Tier } from "../../infra/catalog/types";
import { EngineName } from "../engines/engine";
import { DriverError, ExitCode } from "../exitCodes";
import { StepKind } from "../promotion/plan";

export type StepResult = "succeeded" | "policy-denied" | "over-cap" | "otp-refused" | "target-refused" | "drift-refused" | "drift-adopted" | "failed" | "interrupted" | "rolled-back";

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
    gate: "policy" | "cost" | "otp" | "target" | "drift" | "engine" | "interrupted" | "order";
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

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Stack names become file names: refuse anything that could leave the state directory. */
export function assertStackName(stack: string): void {
    if (!STACK_NAME.test(stack)) {
        throw new DriverError(ExitCode.BadInput, `--stack "${stack}" is not a valid stack name: use letters, digits, ".", "_" or "-", e.g. dev`);
    }
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

    read(stack: string): StackState {
        const file = this.stackFile(stack);
        if (!fs.existsSync(file)) return emptyState(stack);
        try {
            const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as StackState;
            return { ...emptyState(stack), ...parsed, otp: { ...emptyState(stack).otp, ...parsed.otp } };
        } catch (e) {
            throw new DriverError(ExitCode.BadInput, `state file ${file} is not valid JSON (${(e as Error).message}); restore it or remove it to start over`);
        }
    }

    write(state: StackState): void {
        const file = this.stackFile(state.stack);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
        fs.renameSync(temporary, file);
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
}
