/**
 * `status`: every stack's tier, last promotion and pending gates, from the driver state alone
 * (no engine): the gates the last run stopped at, a run in progress or interrupted, an OTP
 * lockout, and what the next step will need (the previous environment, an OTP code).
 */
import * as fs from "fs";
import { Tier } from "../contract/catalog";
import { DriverConfig } from "./driverConfig";
import { nextTier, otpRequired, previousEnvironment, tierLabel } from "./promotion/plan";
import { isProcessAlive } from "./state/lock";
import { auditedLockout, readAudit } from "./audit/auditLog";
import { LastPromotion, StateStore } from "./state/stackState";

export interface StackStatus {
    stack: string;
    tier: Tier | null;
    lastPromotion?: Omit<LastPromotion, "outputs">;
    nextTier?: Tier;
    pendingGates: string[];
    /** Set when the stack's state file cannot be used (its problem is the first pending gate). */
    unusable?: true;
}

/** Stacks to show: the configured environments, the stack files, and any stack with state. */
export function knownStacks(projectDir: string, store: StateStore, config: DriverConfig): string[] {
    const fromFiles = fs.readdirSync(projectDir).map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s);
    const valid = (s: string) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(s);
    const all = new Set([...config.environments, ...fromFiles, ...store.stacks()].filter(valid));
    const ordered = config.environments.filter((s) => all.has(s));
    return [...ordered, ...[...all].filter((s) => !ordered.includes(s)).sort()];
}

/** A stack whose state cannot be used: shown with its problem, so `status` still shows every other stack. */
export function unusableStatus(stack: string, problem: string): StackStatus {
    return { stack, tier: null, pendingGates: [`state unusable: ${problem}`], unusable: true };
}

/**
 * @param lowestTier lowest tier of the stack's platform (its first deployment).
 * @param environment the environment the stack declares (default its name): OTP and order follow it.
 */
export function stackStatus(store: StateStore, stack: string, config: DriverConfig, now: Date = new Date(), lowestTier: Tier = 0, environment: string = stack): StackStatus {
    const state = store.read(stack);
    const lockedUntil = [state.otp.lockedUntil, auditedLockout(readAudit(store.stateDir, stack))].filter((t): t is string => !!t).sort().pop();
    const gates: string[] = [];
    if (state.inProgress) {
        gates.push(isProcessAlive(state.inProgress.pid)
            ? `running: step ${tierLabel(state.inProgress.from)} -> ${state.inProgress.to} (pid ${state.inProgress.pid}, since ${state.inProgress.startedAt})`
            : `interrupted: step ${tierLabel(state.inProgress.from)} -> ${state.inProgress.to} ended during up; the next promote reports and retries it`);
    }
    for (const gate of state.pendingGates) gates.push(`${gate.gate} (step to ${gate.to}, ${gate.time}): ${gate.message}`);
    if (lockedUntil && Date.parse(lockedUntil) > now.getTime()) {
        gates.push(`otp lockout: promotions refused until ${lockedUntil}`);
    }
    const next = nextTier(state.tier, lowestTier);
    if (next !== undefined) {
        const previous = previousEnvironment(environment, config.environments);
        let previousTier: Tier | null | undefined;
        try {
            previousTier = previous ? store.read(previous).tier : undefined;
        } catch {
            previousTier = null; // the previous environment's own entry reports its problem
        }
        if (previous && (previousTier === null || previousTier === undefined || previousTier < next)) {
            gates.push(`order: waiting for ${previous} to reach tier ${next} (it is at ${tierLabel(previousTier ?? null)})`);
        }
        if (otpRequired({ stack, environment, otp: config.otp }, next)) gates.push(`otp: the step to tier ${next} needs an OTP code`);
    }
    const { outputs: _outputs, ...last } = state.lastPromotion ?? ({} as LastPromotion);
    return {
        stack,
        tier: state.tier,
        ...(state.lastPromotion ? { lastPromotion: last } : {}),
        ...(next !== undefined ? { nextTier: next } : {}),
        pendingGates: gates,
    };
}

export function formatStatus(statuses: StackStatus[]): string[] {
    const lines: string[] = [];
    for (const s of statuses) {
        const last = s.lastPromotion;
        lines.push(s.unusable ? `${s.stack}: state unusable` : `${s.stack}: tier ${tierLabel(s.tier)}${s.nextTier !== undefined ? ` (next: ${s.nextTier})` : " (top tier)"}`);
        lines.push(last
            ? `  last promotion: ${last.kind} ${tierLabel(last.from)} -> ${last.to} ${last.result} at ${last.time} by ${last.actor} (${last.engine})`
            : `  last promotion: none`);
        lines.push(s.pendingGates.length ? `  pending gates:` : `  pending gates: none`);
        for (const gate of s.pendingGates) lines.push(`    - ${gate}`);
    }
    return lines;
}
