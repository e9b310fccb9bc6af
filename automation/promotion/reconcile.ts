/**
 * Reconciles what a crashed run left behind, at the start of the next run (under the stack lock):
 * - a step in the state's `inProgress` -> an "interrupted" audit line, `inProgress` cleared, the
 *   tier left at the last successful one (the walk retries the step; `--rollback` re-applies the
 *   tier), recorded as `failedUp`, the engine refreshed;
 * - an audit "in-progress" line without a final line -> the final line the state already holds
 *   (the crash fell between writing the state and the audit), or "interrupted".
 */
import { appendAudit, openSteps, readAudit, StepAuditRecord } from "../audit/auditLog";
import { Engine } from "../engines/engine";
import { StateStore } from "../state/stackState";
import { tierLabel } from "./plan";

export async function reconcileInterrupted(
    engine: Engine,
    store: StateStore,
    stateDir: string,
    stack: string,
    now: () => Date,
    log: (line: string) => void,
): Promise<StepAuditRecord[]> {
    const state = store.read(stack);
    const audit = readAudit(stateDir, stack);
    const open = openSteps(audit);
    const interrupted: StepAuditRecord[] = [];
    const time = now().toISOString();

    for (const record of open) {
        const last = state.lastPromotion;
        if (last && last.stepId === record.stepId && state.inProgress?.stepId !== record.stepId) {
            // The state has the step's outcome; only the audit line is missing.
            appendAudit(stateDir, { ...record, time, result: last.result, message: `final record restored from the state after an interrupted run (${last.time})` });
            continue;
        }
        const line: StepAuditRecord = {
            ...record,
            time,
            result: "interrupted",
            message: `run started ${record.time} (pid ${state.inProgress?.stepId === record.stepId ? state.inProgress.pid : "?"}) ended during up; the stack stays at tier ${tierLabel(state.tier)} and this step is retried`,
        };
        appendAudit(stateDir, line);
        interrupted.push(line);
    }
    const inProgress = state.inProgress;
    if (inProgress && !open.some((r) => r.stepId === inProgress.stepId)) {
        // Crash between writing the state and the audit's in-progress line.
        const line: StepAuditRecord = {
            time,
            stack,
            stepId: inProgress.stepId,
            actor: inProgress.actor,
            kind: inProgress.kind,
            fromTier: inProgress.from,
            toTier: inProgress.to,
            engine: inProgress.engine,
            result: "interrupted",
            policyViolations: [],
            otpVerified: false,
            message: `run started ${inProgress.startedAt} (pid ${inProgress.pid}) ended before up was recorded; this step is retried`,
        };
        appendAudit(stateDir, line);
        interrupted.push(line);
    }
    if (interrupted.length === 0) {
        if (inProgress) store.update(stack, (s) => delete s.inProgress);
        return interrupted;
    }
    const first = interrupted[0];
    store.update(stack, (s) => {
        delete s.inProgress;
        s.pendingGates = [{ gate: "interrupted", to: first.toTier, message: first.message ?? "interrupted", time }];
        // The stack may hold part of the step: a retry or `--rollback` (re-applying the tier) settles it.
        s.failedUp = { stepId: first.stepId, kind: first.kind, to: first.toTier, result: "interrupted", time };
        s.lastPromotion = {
            stepId: first.stepId,
            kind: first.kind,
            from: first.fromTier,
            to: first.toTier,
            engine: first.engine,
            actor: first.actor,
            result: "interrupted",
            time,
        };
    });
    for (const line of interrupted) log(`reconcile: step ${tierLabel(line.fromTier)} -> ${line.toTier} of ${stack} was INTERRUPTED (${line.message})`);
    try {
        const refreshed = await engine.refresh(stack);
        log(`reconcile: ${engine.name} engine refreshed ${stack}${refreshed.ok ? "" : ` with an error: ${refreshed.error}`}`);
    } catch (e) {
        log(`reconcile: refresh of ${stack} failed: ${(e as Error).message}`);
    }
    return interrupted;
}
