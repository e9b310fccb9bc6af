/**
 * Runs a promotion against an engine: plan (pure), then for each step
 * set the tier -> preview with all packs -> stop on a mandatory violation -> cost vs caps ->
 * OTP where required -> in-progress record -> `up` -> outputs -> record.
 *
 * Crash safety: before `up`, the step is written to the stack state (`inProgress`) and then to
 * the audit log ("in-progress"); after `up`, the state is written first and the audit line
 * second. The next run reconciles whatever a crash left behind (see reconcile.ts), so audit log
 * and state always end up agreeing, and the recorded tier is always the last successful one.
 */
import { randomUUID } from "crypto";
import * as path from "path";
import { Tier } from "../../contract/catalog";
import { appendAudit, AuditHead, auditedLockout, auditedTier, readAudit, RefusalKind, repairTornTail, StepAuditRecord, tailRepairRecord, verifyChain } from "../audit/auditLog";
import { DriftedResource, Engine } from "../engines/engine";
import { DriverError, ExitCode } from "../exitCodes";
import { lockoutMessage, pruneOtpBookkeeping } from "../otp/totp";
import { acquireStackLock, isProcessAlive, StackLock } from "../state/lock";
import { prepareStateDir, removeStaleTemporaries } from "../state/safeFs";
import { repairAdvice, StackState, StateStore } from "../state/stackState";
import { CostCaps } from "./gates";
import { KnownSecrets } from "./knownSecrets";
import { otpGate } from "./otpApproval";
import { PlannedStep, planPromotion, RefusalReason, tierLabel } from "./plan";
import { reconcileInterrupted } from "./reconcile";
import { runStep } from "./runStep";
import { StepContext, StepRecord, STOPS } from "./stepRecord";
import type { PromotionOptions, PromotionSummary, StepSummary } from "./types";

/**
 * Compares the deployed stack's target with the state before any step (the real engine's refresh
 * preview). No drift, or no target: undefined (go on). Drift: refused unless the user chose to
 * adopt (refresh, end the run) or overwrite (refresh, go on); the choice is audited on the first step.
 */
async function driftGate(
    engine: Engine,
    options: PromotionOptions,
    context: StepContext,
    first: PlannedStep,
    deployedTier: Tier | null,
): Promise<{ exitCode: ExitCode; message: string; steps: StepSummary[] } | undefined> {
    const { log } = context;
    if (deployedTier === null || !engine.drift || !options.targetFor?.(deployedTier)) return undefined;
    const pending = context.store.read(options.stack).driftOverwrite;
    if (pending) {
        // An earlier run chose overwrite and refreshed; its step did not succeed: keep forcing.
        context.options.driftNote = `continuing the drift overwrite chosen by ${pending.actor} at ${pending.time}: ${pending.what}`;
        options.configOverrides = { ...(options.configOverrides ?? {}), forceConflicts: "true" };
        log(`drift: ${context.options.driftNote}`);
        return undefined;
    }
    log(`drift: comparing the deployed tier-${deployedTier} clusters with the state (refresh preview)`);
    let drifted: DriftedResource[];
    try {
        drifted = await engine.drift(options.stack);
    } catch (e) {
        const record = new StepRecord(context, first);
        const outcome = record.finish("failed", `drift check failed: ${(e as Error).message}`);
        return { exitCode: ExitCode.EngineFailure, message: outcome.summary.message ?? "drift check failed", steps: [outcome.summary] };
    }
    if (drifted.length === 0) {
        log(`drift: none`);
        return undefined;
    }
    const list = drifted.map((d) => `${d.op === "delete" ? "deleted" : "changed"} ${d.type} ${d.urn.split("::").pop()}${d.properties.length ? ` (${d.properties.join(", ")})` : ""}`);
    list.forEach((line) => log(`drift: ${line}`));
    const what = `${drifted.length} resource(s) differ from the state: ${list.join("; ")}`;
    if (!options.onDrift) {
        const record = new StepRecord(context, first);
        const outcome = record.finish(
            "drift-refused",
            `the clusters drifted from the state (changed outside the promotion): ${what}. Choose --on-drift adopt (record the live values, stop) or --on-drift overwrite (restore the program's values with this step)`,
        );
        return { exitCode: ExitCode.Drift, message: outcome.summary.message!, steps: [outcome.summary] };
    }
    const refreshed = await engine.refresh(options.stack);
    if (!refreshed.ok) {
        const record = new StepRecord(context, first);
        const outcome = record.finish("failed", `refresh for --on-drift ${options.onDrift} failed: ${refreshed.error ?? "unknown"}`);
        return { exitCode: ExitCode.EngineFailure, message: outcome.summary.message!, steps: [outcome.summary] };
    }
    if (options.onDrift === "adopt") {
        const record = new StepRecord(context, first);
        record.notes.push(`drift adopted by ${options.actor}: ${what}`);
        const outcome = record.finish("drift-adopted", `drift adopted: the state now records the clusters' values (${what}); the next promote previews what the program changes back`);
        return { exitCode: ExitCode.Success, message: outcome.summary.message!, steps: [outcome.summary] };
    }
    context.options.driftNote = `drift overwritten by ${options.actor}: ${what}`;
    context.store.update(options.stack, (state) => {
        state.driftOverwrite = { actor: options.actor, time: context.now().toISOString(), what };
    });
    // Fields someone else's field manager took (kubectl scale) are taken back by a forced apply.
    options.configOverrides = { ...(options.configOverrides ?? {}), forceConflicts: "true" };
    log(`drift: overwrite chosen, state refreshed; this step's up restores the program's values`);
    return undefined;
}

export async function runPromotion(engine: Engine, options: PromotionOptions): Promise<PromotionSummary> {
    const now = options.now ?? (() => new Date());
    const secrets = new KnownSecrets(options.secrets);
    const print = options.log ?? (() => undefined);
    const log = (line: string) => print(secrets.scrub(line));
    const store = new StateStore(options.stateDir);
    prepareStateDir(options.stateDir);
    const lock: StackLock = acquireStackLock(options.stateDir, options.stack, options.command ?? "promote", now());
    if (lock.tookOverFrom) {
        log(`lock: took over the stale lock of pid ${lock.tookOverFrom.pid} (since ${lock.tookOverFrom.since}), which no longer runs`);
    }
    try {
        return await promoteLocked(engine, options, store, secrets, now, log);
    } finally {
        lock.release();
    }
}

const REFUSALS: Record<RefusalReason, { kind: RefusalKind; exitCode: ExitCode }> = {
    skip: { kind: "skip", exitCode: ExitCode.OrderRefused },
    order: { kind: "order", exitCode: ExitCode.OrderRefused },
    "unfinished-rollback": { kind: "order", exitCode: ExitCode.OrderRefused },
    rollback: { kind: "rollback", exitCode: ExitCode.BadInput },
    downward: { kind: "downward", exitCode: ExitCode.BadInput },
};

/** The refusal kind of a DriverError raised before any step ran. */
function refusalOf(error: DriverError): RefusalKind {
    switch (error.exitCode) {
        case ExitCode.StateProblem:
            return "state-conflict";
        case ExitCode.OtpRefused:
            return "otp-lockout";
        case ExitCode.OrderRefused:
            return "order";
        case ExitCode.PlanChanged:
            return "plan-changed";
        default:
            return "bad-input";
    }
}

async function promoteLocked(
    engine: Engine,
    options: PromotionOptions,
    store: StateStore,
    secrets: KnownSecrets,
    now: () => Date,
    log: (line: string) => void,
): Promise<PromotionSummary> {
    const { stack, stateDir } = options;
    const caveats = new Set<string>();
    let startTier: Tier | null = null;
    let interrupted: StepAuditRecord[] = [];
    const headOf = (): AuditHead | undefined => {
        try {
            return verifyChain(stateDir, stack).head;
        } catch {
            return undefined;
        }
    };
    const finalTier = (): Tier | null => {
        try {
            return store.read(stack).tier;
        } catch {
            return startTier;
        }
    };
    const summary = (exitCode: ExitCode, message: string, steps: StepSummary[]): PromotionSummary => ({
        command: "promote",
        stack,
        engine: engine.name,
        ok: exitCode === ExitCode.Success,
        exitCode,
        message,
        startTier,
        finalTier: finalTier(),
        steps,
        interrupted,
        caveats: [...caveats],
        ...(headOf() ? { auditHead: headOf() } : {}),
    });
    /** Every refusal is an audit record. */
    const refuse = (refusal: RefusalKind, exitCode: ExitCode, message: string, extra: { toTier?: Tier | null; otpLockedUntil?: string } = {}): PromotionSummary => {
        const clean = secrets.scrub(message);
        appendAudit(stateDir, {
            time: now().toISOString(),
            stack,
            stepId: randomUUID(),
            actor: options.actor,
            kind: options.request.rollback ? "rollback" : "promote",
            fromTier: startTier,
            toTier: extra.toTier ?? options.request.to ?? null,
            engine: engine.name,
            result: "refused",
            refusal,
            policyViolations: [],
            otpVerified: false,
            ...(extra.otpLockedUntil ? { otpLockedUntil: extra.otpLockedUntil } : {}),
            ...(options.configOverrides ? { configOverrides: options.configOverrides } : {}),
            message: clean,
        });
        log(`refused (${refusal}): ${clean}`);
        return summary(exitCode, clean, []);
    };

    // A crash may have left a torn audit line or temporary files: set them aside before anything else.
    removeStaleTemporaries(path.join(stateDir, "stacks"), isProcessAlive);
    const repair = repairTornTail(stateDir, stack, now());
    if (repair) {
        appendAudit(stateDir, tailRepairRecord(stack, repair, options.actor, now().toISOString()));
        log(`audit: the log of ${stack} ended in a torn line (${repair.bytes} bytes, a crash while appending); kept aside in ${repair.keptIn}`);
    }

    // The audit log is an evidence chain: a broken one is refused unless the operator acknowledges it (audited).
    const chain = verifyChain(stateDir, stack);
    const breaks = chain.breaks.filter((b) => !b.acknowledged);
    if (breaks.length) {
        const listed = breaks.map((b) => `${b.kind} at line ${b.line}: ${b.message}`).join("; ");
        if (!options.acknowledgeChainBreaks) {
            startTier = finalTier();
            return refuse("audit-chain", ExitCode.StateProblem,
                `the audit log of ${stack} fails its hash chain (${breaks.length} break(s)): ${listed}. Compare it with your anchored head and backups; ` +
                    `to go on with this log as it is, run again with --acknowledge-audit-breaks (recorded)`);
        }
        appendAudit(stateDir, {
            time: now().toISOString(), stack, stepId: randomUUID(), actor: options.actor, kind: "maintenance", fromTier: null, toTier: null, engine: engine.name,
            result: "recorded", event: "chain-acknowledged", policyViolations: [], otpVerified: false,
            acknowledged: breaks.map((b) => ({ line: b.line, seq: b.seq, kind: b.kind })),
            message: `${breaks.length} break(s) of the audit chain acknowledged by ${options.actor}: ${listed}`,
        });
        log(`audit: ${breaks.length} break(s) of the hash chain acknowledged and recorded: ${listed}`);
    }

    let prepared: Prepared;
    try {
        prepared = await prepare(engine, options, store, secrets, now, log);
    } catch (error) {
        if (!(error instanceof DriverError)) throw error;
        startTier = finalTier();
        return refuse(refusalOf(error), error.exitCode, error.message);
    }
    startTier = prepared.state.tier;
    interrupted = prepared.interrupted;
    if (prepared.refusal) {
        const { refusal, exitCode, message, otpLockedUntil } = prepared.refusal;
        return refuse(refusal, exitCode, message, { otpLockedUntil });
    }
    const { plan, caps } = prepared;
    if (options.approvedPlan && plan.steps.length !== 1) {
        return refuse("bad-input", ExitCode.BadInput, `--approve-plan binds the plan of one step, but this run has ${plan.steps.length}: ${plan.message}; promote one tier at a time (--to N --no-walk) with the digest of that step's review`);
    }
    log(`plan: ${plan.message}`);
    if (plan.steps.length === 0) return summary(ExitCode.Success, plan.message, []);

    // Known from the start, so an error text that carries the seed is masked from the first step on.
    await secrets.learnSeed(engine, stack);
    const drift = await driftGate(engine, options, { engine, options, store, secrets, caps: caps.get(plan.steps[0].to)!, now, log, environment: prepared.environment }, plan.steps[0], prepared.state.tier);
    if (drift) return summary(drift.exitCode, drift.message, drift.steps);
    const steps: StepSummary[] = [];
    // A TOTP code is valid for about a minute while previews can take longer, so when the stack's
    // gate is deployed the code is checked once, before the first preview of the run; a refused
    // code stops the run before any work, recorded against the first step that needs it. A gate
    // that an earlier step of this run creates is checked at its step.
    const gated = plan.steps.find((s) => s.otpRequired);
    const gateDeployed = gated !== undefined && (await engine.otpSeed(stack).catch(() => undefined)) !== undefined;
    const approval = gated && gateDeployed ? await otpGate({ engine, options, store, secrets, now }, gated) : undefined;
    const runnable = approval && !approval.ok ? [gated!] : plan.steps;
    /** The step of this run whose verified code approves the run's later OTP-gated steps. */
    let otpApprovedInStep: string | undefined;
    for (const step of runnable) {
        const context: StepContext = { engine, options, store, secrets, caps: caps.get(step.to)!, otpApprovedInStep, approval, now, log, environment: prepared.environment };
        const outcome = await runStep(context, step);
        outcome.caveats.forEach((c) => caveats.add(c));
        steps.push(outcome.summary);
        if (outcome.summary.otpVerified && !otpApprovedInStep) otpApprovedInStep = outcome.summary.otpApprovedInStep ?? outcome.summary.stepId;
        const result = outcome.summary.result;
        if (result !== "succeeded" && result !== "rolled-back") {
            const stop = STOPS[result as keyof typeof STOPS];
            const message = `step ${tierLabel(step.from)} -> ${step.to} stopped (${result}): ${outcome.summary.message ?? ""}`.trim();
            return summary(stop?.exitCode ?? ExitCode.EngineFailure, message, steps);
        }
    }
    const state = store.read(stack);
    const verb = plan.steps[0].kind === "rollback" ? "rolled back" : "promoted";
    return summary(ExitCode.Success, `${stack} ${verb} to tier ${state.tier} (${steps.length} step(s))`, steps);
}

interface Prepared {
    environment: string;
    state: StackState;
    interrupted: StepAuditRecord[];
    plan: Extract<ReturnType<typeof planPromotion>, { ok: true }>;
    caps: Map<Tier, CostCaps>;
    refusal?: { refusal: RefusalKind; exitCode: ExitCode; message: string; otpLockedUntil?: string };
}

/**
 * Everything a run checks before its first step, under the lock: the records agree with each
 * other and with the engine, no OTP lockout, the plan, the stack config of every step and the
 * enforcement its environment requires. A refusal comes back (to be audited), or is thrown as a
 * DriverError (audited by the caller).
 */
async function prepare(
    engine: Engine,
    options: PromotionOptions,
    store: StateStore,
    secrets: KnownSecrets,
    now: () => Date,
    log: (line: string) => void,
): Promise<Prepared> {
    const { stack, driverConfig, stateDir } = options;
    const environment = (typeof options.environment === "function" ? options.environment() : options.environment) ?? stack;
    const lowestTier = typeof options.lowestTier === "function" ? options.lowestTier() : options.lowestTier;
    const interrupted = await reconcileInterrupted(engine, store, stateDir, stack, now, log);
    const state = store.read(stack);
    const empty = { environment, state, interrupted, plan: { ok: true as const, steps: [], message: "" }, caps: new Map<Tier, CostCaps>() };
    const audit = readAudit(stateDir, stack);

    // An OTP lockout holds whether or not the state file still records it: the audit log does too.
    pruneOtpBookkeeping(state.otp, driverConfig.otp, now());
    const auditLock = auditedLockout(audit);
    const lockedUntil = [state.otp.lockedUntil, auditLock].filter((t): t is string => !!t && Date.parse(t) > now().getTime()).sort().pop();
    const locked = lockoutMessage(stack, { ...state.otp, lockedUntil }, now());
    if (locked) {
        log(`gate otp: REFUSED - ${locked}`);
        return { ...empty, refusal: { refusal: "otp-lockout", exitCode: ExitCode.OtpRefused, message: locked, otpLockedUntil: lockedUntil } };
    }

    await crossCheckTier(engine, store, state, audit, environment, stack);

    const tiers: Record<string, Tier | null> = options.environmentTiers
        ? options.environmentTiers()
        : Object.fromEntries(driverConfig.environments.map((e) => [e, e === stack ? state.tier : store.read(e).tier]));
    const plan = planPromotion(
        {
            stack,
            environment,
            currentTier: state.tier,
            environments: driverConfig.environments,
            tiers,
            otp: driverConfig.otp,
            ...(state.failedUp ? { failedUp: { to: state.failedUp.to, kind: state.failedUp.kind } } : {}),
            ...(lowestTier !== undefined ? { lowestTier } : {}),
        },
        options.request,
    );
    if (!plan.ok) {
        log(`plan: REFUSED - ${plan.message}`);
        const { kind, exitCode } = REFUSALS[plan.reason];
        return { ...empty, refusal: { refusal: kind, exitCode, message: plan.message } };
    }
    // Validate the stack configuration of every step, and the enforcement its environment requires, before touching the engine.
    const caps = new Map<Tier, CostCaps>();
    for (const step of plan.steps) {
        caps.set(step.to, options.capsFor(step.to));
        const enforcement = options.enforcementFor?.(step.to);
        if (enforcement && driverConfig.mandatoryEnforcementFor.includes(environment) && enforcement.level !== "mandatory") {
            const source = enforcement.overridden ? `--config policyEnforcement=${enforcement.level}` : `policyEnforcement: ${enforcement.level} in Pulumi.${stack}.yaml`;
            return {
                ...empty,
                refusal: {
                    refusal: "enforcement",
                    exitCode: ExitCode.BadInput,
                    message: `environment ${environment} requires mandatory policy enforcement (driver config mandatoryEnforcementFor); ${source} would lower it to ${enforcement.level}: refused. Remove the override or restore policyEnforcement: mandatory`,
                },
            };
        }
        if (enforcement?.overridden) log(`note: policy enforcement of this run is overridden on the command line: ${enforcement.level} (recorded in the audit log and the review report)`);
    }
    return { environment, state, interrupted, plan, caps };
}

/**
 * The tier of record (state file) must agree with the audit log and with what the engine has
 * deployed; and the stack must still declare the environment it was first deployed as.
 * A disagreement stops the run (exit 9) naming every value and how to reconcile.
 */
async function crossCheckTier(engine: Engine, store: StateStore, state: StackState, audit: ReturnType<typeof readAudit>, environment: string, stack: string): Promise<void> {
    const file = store.stackFile(stack);
    if (state.environment !== undefined && state.environment !== environment) {
        throw new DriverError(
            ExitCode.StateProblem,
            `stack ${stack} was deployed as environment ${state.environment} (${file}), but Pulumi.${stack}.yaml now declares environment ${environment}: ` +
                `a stack cannot change environments; restore environment: ${state.environment} in the stack file, or deploy the other environment as a stack of its own`,
        );
    }
    const fromAudit = auditedTier(audit);
    const stateExists = store.exists(stack);
    const show = (t: Tier | null) => (t === null ? "never deployed" : `tier ${t}`);
    if (fromAudit !== state.tier) {
        throw new DriverError(
            ExitCode.StateProblem,
            `the records of stack ${stack} disagree: the state file ${stateExists ? file : `(missing: ${file})`} says ${show(state.tier)}, the audit log says ${show(fromAudit)}` +
                ` (its last successful step). Nothing was run. Reconcile: ${repairAdvice(stack)} (it takes the audit log's tier after checking it against the engine)`,
        );
    }
    if (state.failedUp) return; // the stack may hold part of a failed step: the engine's tier is not the recorded one
    let deployed: Tier | null | undefined;
    try {
        deployed = await engine.deployedTier(stack);
    } catch (e) {
        if (e instanceof DriverError) throw e;
        return; // the engine cannot tell; the preview will report engine faults
    }
    if (deployed !== undefined && deployed !== state.tier) {
        throw new DriverError(
            ExitCode.StateProblem,
            `the records of stack ${stack} disagree with the ${engine.name} engine: state file and audit log say ${show(state.tier)}, the engine's deployed stack is at ${show(deployed)}. ` +
                `Nothing was run. Reconcile: find out who changed the stack outside the driver; to adopt the engine's tier run \`repair-state --stack ${stack} --adopt-engine-tier\` (audited)`,
        );
    }
}
