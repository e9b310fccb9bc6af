/**
 * `repair-state --stack S [--adopt-engine-tier]`: rebuilds a lost, corrupt or wrong state file
 * from the audit log, under the stack lock, after checking the audit log's tier against the
 * engine's deployed stack. The old file is kept aside (never deleted), the OTP lockout the audit
 * log records is restored, and the repair is an audit record of its own.
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import { appendAudit, auditedLockout, auditedTier, isStepRecord, readAudit, repairTornTail, tailRepairRecord } from "../audit/auditLog";
import { currentActor } from "../audit/actor";
import type { CommandEnv } from "./context";
import { environmentOf } from "./context";
import { DriverError, ExitCode } from "../exitCodes";
import { tierLabel } from "../promotion/plan";
import { acquireStackLock } from "../state/lock";
import { guarded, prepareStateDir } from "../state/safeFs";
import { emptyState, StackState, StateStore } from "../state/stackState";
import { Tier } from "../../contract/catalog";

export async function repairState(env: CommandEnv): Promise<number> {
    const { args, io, stateDir } = env;
    const stack = args.stack!;
    const now = env.context.now ?? (() => new Date());
    const actor = currentActor(io.env);
    const log = args.json ? io.err : io.out;
    prepareStateDir(stateDir);
    const lock = acquireStackLock(stateDir, stack, `repair-state --stack ${stack}`, now());
    try {
        const tail = repairTornTail(stateDir, stack, now());
        if (tail) appendAudit(stateDir, tailRepairRecord(stack, tail, actor, now().toISOString()));
        const store = new StateStore(stateDir);
        const audit = readAudit(stateDir, stack);
        const fromAudit = auditedTier(audit);
        const engine = env.makeEngine();
        let deployed: Tier | null | undefined;
        try {
            deployed = await engine.deployedTier(stack);
        } catch (e) {
            if (e instanceof DriverError) throw e;
            deployed = undefined;
        }
        const show = (t: Tier | null | undefined) => (t === undefined ? "unknown" : t === null ? "never deployed" : `tier ${t}`);
        let tier: Tier | null;
        if (args.adoptEngineTier) {
            if (deployed === undefined) throw new DriverError(ExitCode.StateProblem, `the ${engine.name} engine cannot tell which tier of ${stack} is deployed: there is no engine tier to adopt`);
            tier = deployed;
        } else {
            if (deployed !== undefined && deployed !== fromAudit) {
                throw new DriverError(
                    ExitCode.StateProblem,
                    `cannot rebuild the state of ${stack}: the audit log says ${show(fromAudit)}, the ${engine.name} engine's deployed stack is at ${show(deployed)}. ` +
                        `Find out who changed the stack outside the driver; to take the engine's tier, run repair-state --stack ${stack} --adopt-engine-tier (audited)`,
                );
            }
            tier = fromAudit;
        }
        let before = "missing";
        if (store.exists(stack)) {
            try {
                before = `tier ${tierLabel(store.read(stack).tier)}`;
            } catch (e) {
                before = `unusable (${(e as Error).message.split(";")[0]})`;
            }
            const keptAside = `${store.stackFile(stack)}.replaced-${now().toISOString().replace(/[:.]/g, "-")}`;
            guarded("keep aside the old state file", keptAside, () => fs.copyFileSync(store.stackFile(stack), keptAside));
            log(`repair-state: the old state file is kept in ${keptAside}`);
        }
        const state: StackState = emptyState(stack);
        state.tier = tier;
        try {
            state.environment = environmentOf(env, stack);
        } catch {
            // no readable stack file: the environment is recorded at the next deployment
        }
        const last = [...audit].reverse().find((r) => isStepRecord(r) && r.result !== "in-progress");
        if (last && isStepRecord(last)) {
            state.lastPromotion = { stepId: last.stepId, kind: last.kind, from: last.fromTier, to: last.toTier, engine: last.engine, actor: last.actor, result: last.result as NonNullable<StackState["lastPromotion"]>["result"], time: last.time };
        }
        const lockedUntil = auditedLockout(audit);
        if (lockedUntil && Date.parse(lockedUntil) > now().getTime()) state.otp.lockedUntil = lockedUntil;
        store.write(state);
        const message = `state of ${stack} rebuilt from the audit log: was ${before}, now ${show(tier)} (audit log ${show(fromAudit)}, engine ${show(deployed)}${args.adoptEngineTier ? ", engine tier adopted" : ""})` +
            `${state.otp.lockedUntil ? `; OTP lockout until ${state.otp.lockedUntil} restored` : ""}`;
        appendAudit(stateDir, {
            time: now().toISOString(),
            stack,
            stepId: randomUUID(),
            actor,
            kind: "maintenance",
            fromTier: null,
            toTier: tier,
            engine: engine.name,
            result: "recorded",
            event: "state-repaired",
            policyViolations: [],
            otpVerified: false,
            message,
        });
        if (args.json) io.out(JSON.stringify({ stack, tier, auditTier: fromAudit, engineTier: deployed ?? null, message }, null, 2));
        else log(`repair-state: ${message}`);
        return ExitCode.Success;
    } finally {
        lock.release();
    }
}
