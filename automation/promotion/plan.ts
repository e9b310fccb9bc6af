/**
 * The promotion state machine, pure: from the recorded tiers and a request, the list of steps
 * to run, or the reason the rules refuse it. No engine, no files, no clock.
 *
 * Rules: one tier at a time (never deployed -> 0 -> 1 -> 2 -> 3); `to` walks step by step;
 * with `walk: false` the request must be exactly the next tier (a skip is refused); a stack may
 * reach tier N only while the previous environment in the configured order stands at N or above;
 * a rollback returns to the tier below the current one, except after a step whose `up` failed or
 * was interrupted: then the stack may hold part of that step, and a rollback re-applies the
 * recorded tier (the last good one) to remove it.
 */
import { Tier, TIERS } from "../../contract/catalog";
import type { StepKind } from "../state/stackState";

export type { StepKind };

export const TOP_TIER: Tier = 3;

export interface PlanState {
    stack: string;
    /** The environment the stack declares (its stack file's `environment`); default: the stack name. */
    environment?: string;
    /** Last tier the stack reached successfully; null when never deployed. */
    currentTier: Tier | null;
    /** Environments in promotion order (driver config `environments`). */
    environments: string[];
    /** Highest tier of the stacks of each environment (null or absent: none deployed). */
    tiers: Record<string, Tier | null | undefined>;
    otp: { requiredForEnvironments: string[]; requiredForTiers: Tier[] };
    /** A step whose `up` failed or was interrupted after the stack reached `currentTier`. */
    failedUp?: { to: Tier; kind?: StepKind };
    /** Lowest tier the stack's platform runs (its first deployment); default 0. */
    lowestTier?: Tier;
}

export interface PromotionRequest {
    /** Target tier; default: the next one. */
    to?: Tier;
    /** Walk step by step up to `to` (default true); false: `to` must be the next tier. */
    walk?: boolean;
    /** Return to the previous tier: the one below the current one, or after a failed `up` the current one, re-applied. */
    rollback?: boolean;
}

export interface PlannedStep {
    kind: StepKind;
    /** null: the stack's first deployment. */
    from: Tier | null;
    to: Tier;
    otpRequired: boolean;
}

export type RefusalReason = "skip" | "order" | "rollback" | "downward" | "unfinished-rollback";

export type Plan =
    | { ok: true; steps: PlannedStep[]; message: string }
    | { ok: false; reason: RefusalReason; message: string };

/** Previous environment of `environment` in the configured order, if any. */
export function previousEnvironment(environment: string, environments: string[]): string | undefined {
    const index = environments.indexOf(environment);
    return index > 0 ? environments[index - 1] : undefined;
}

/** OTP follows the stack's declared environment, never its name. */
export function otpRequired(state: Pick<PlanState, "stack" | "environment" | "otp">, to: Tier): boolean {
    return state.otp.requiredForEnvironments.includes(state.environment ?? state.stack) || state.otp.requiredForTiers.includes(to);
}

export function nextTier(current: Tier | null, lowestTier: Tier = 0): Tier | undefined {
    if (current === null) return lowestTier;
    return current < TOP_TIER ? ((current + 1) as Tier) : undefined;
}

export function tierLabel(tier: Tier | null): string {
    return tier === null ? "none" : String(tier);
}

export function planPromotion(state: PlanState, request: PromotionRequest): Plan {
    if (request.to !== undefined && !TIERS.includes(request.to)) {
        throw new RangeError(`tier ${request.to} does not exist: use 0, 1, 2 or 3`);
    }
    return request.rollback ? planRollback(state, request) : planForward(state, request);
}

function planRollback(state: PlanState, request: PromotionRequest): Plan {
    const current = state.currentTier;
    if (current === null) {
        const failed = state.failedUp ? ` (its first deployment failed: retry it with promote, or remove what it created with pulumi destroy)` : "";
        return { ok: false, reason: "rollback", message: `stack ${state.stack} was never deployed: there is nothing to roll back${failed}` };
    }
    if (state.failedUp?.kind === "rollback") return retryRollback(state, current, state.failedUp.to, request);
    if (state.failedUp) return planRecovery(state, current, state.failedUp.to, request);
    const lowest = state.lowestTier ?? 0;
    if (current <= lowest) {
        return { ok: false, reason: "rollback", message: `stack ${state.stack} is at tier ${current}, the lowest tier of its platform: there is no previous tier to return to` };
    }
    const to = (current - 1) as Tier;
    if (request.to !== undefined && request.to !== to) {
        return { ok: false, reason: "rollback", message: `a rollback returns one tier, from ${current} to ${to}; --to ${request.to} is not allowed` };
    }
    return {
        ok: true,
        steps: [{ kind: "rollback", from: current, to, otpRequired: otpRequired(state, to) }],
        message: `roll back ${state.stack} from tier ${current} to tier ${to}`,
    };
}

/** After a failed `up` towards `failedTo`: re-apply the recorded tier, through the same gates. */
function planRecovery(state: PlanState, current: Tier, failedTo: Tier, request: PromotionRequest): Plan {
    if (request.to !== undefined && request.to !== current) {
        return {
            ok: false,
            reason: "rollback",
            message: `the step of ${state.stack} to tier ${failedTo} failed: a rollback re-applies tier ${current}, the last good one; --to ${request.to} is not allowed`,
        };
    }
    return {
        ok: true,
        steps: [{ kind: "rollback", from: failedTo, to: current, otpRequired: otpRequired(state, current) }],
        message: `roll back ${state.stack} from the failed step to tier ${failedTo}: re-apply tier ${current}, the last good one`,
    };
}

/**
 * A rollback whose `up` failed or was interrupted is finished before anything else: the next
 * `promote` (or `promote --rollback`) retries it, as its message promised.
 */
function retryRollback(state: PlanState, current: Tier, to: Tier, request: PromotionRequest): Plan {
    if (request.to !== undefined && request.to !== to) {
        return {
            ok: false,
            reason: "unfinished-rollback",
            message: `the rollback of ${state.stack} from tier ${current} to tier ${to} did not finish: it is retried first` +
                ` (run promote --stack ${state.stack} without --to, or with --to ${to}); --to ${request.to} is refused until then`,
        };
    }
    return {
        ok: true,
        steps: [{ kind: "rollback", from: current, to, otpRequired: otpRequired(state, to) }],
        message: `retry the unfinished rollback of ${state.stack} from tier ${current} to tier ${to}`,
    };
}

function planForward(state: PlanState, request: PromotionRequest): Plan {
    const current = state.currentTier;
    if (current !== null && state.failedUp?.kind === "rollback") return retryRollback(state, current, state.failedUp.to, request);
    const next = nextTier(current, state.lowestTier);
    const target = request.to ?? next;
    if (target === undefined) {
        return { ok: true, steps: [], message: `stack ${state.stack} is already at tier ${TOP_TIER}, the top tier` };
    }
    if (current !== null && target <= current) {
        if (target === current) return { ok: true, steps: [], message: `stack ${state.stack} is already at tier ${current}` };
        return { ok: false, reason: "downward", message: `stack ${state.stack} is at tier ${current}; going down to ${target} is a rollback: use --rollback (one tier at a time)` };
    }
    if (request.walk === false && target !== next) {
        return {
            ok: false,
            reason: "skip",
            message: `skipping a tier is refused: stack ${state.stack} is at tier ${tierLabel(current)}, its next tier is ${next}, not ${target}` +
                ` (walk step by step: drop --no-walk)`,
        };
    }
    const steps: PlannedStep[] = [];
    for (let tier = next as Tier; tier <= target; tier = (tier + 1) as Tier) {
        steps.push({ kind: "promote", from: steps.length ? steps[steps.length - 1].to : current, to: tier, otpRequired: otpRequired(state, tier) });
    }
    const environment = state.environment ?? state.stack;
    const previous = previousEnvironment(environment, state.environments);
    if (previous !== undefined) {
        const previousTier = state.tiers[previous] ?? null;
        const blocked = steps.find((s) => previousTier === null || s.to > previousTier);
        if (blocked) {
            const of = environment === state.stack ? "" : ` (environment ${environment})`;
            return {
                ok: false,
                reason: "order",
                message: `stack ${state.stack}${of} may reach tier ${blocked.to} only after ${previous} was promoted to tier ${blocked.to}` +
                    ` (${previous} is at tier ${tierLabel(previousTier)}): promote ${previous} first`,
            };
        }
    }
    return {
        ok: true,
        steps,
        message: `promote ${state.stack} from tier ${tierLabel(current)} to tier ${target} in ${steps.length} step(s)`,
    };
}
