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
import { Tier } from "../../infra/catalog/types";
import { AuditCost, AuditRecord, AuditTarget, AuditViolation } from "../audit/auditLog";
import { DriverConfig } from "../driverConfig";
import { DriftedResource, Engine, EngineResult } from "../engines/engine";
import { ExitCode } from "../exitCodes";
import { lockoutMessage, pruneOtpBookkeeping } from "../otp/totp";
import { acquireStackLock, StackLock } from "../state/lock";
import { StateStore, StepResult } from "../state/stackState";
import type { StepTarget } from "../targets/kubernetesTarget";
import { CostCaps, CostEstimator } from "./gates";
import { KnownSecrets } from "./knownSecrets";
import { otpGate } from "./otpApproval";
import { PlannedStep, planPromotion, PromotionRequest, tierLabel } from "./plan";
import { reconcileInterrupted } from "./reconcile";
import { runStep } from "./runStep";
import { StepContext, StepRecord, STOPS } from "./stepRecord";

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
    /** Lowest tier the stack's platform runs (the first deployment); default 0. */
    lowestTier?: Tier;
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
    interrupted: AuditRecord[];
    caveats: string[];
}


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

async function promoteLocked(
    engine: Engine,
    options: PromotionOptions,
    store: StateStore,
    secrets: KnownSecrets,
    now: () => Date,
    log: (line: string) => void,
): Promise<PromotionSummary> {
    const { stack, driverConfig } = options;
    const interrupted = await reconcileInterrupted(engine, store, options.stateDir, stack, now, log);
    let state = store.read(stack);
    const startTier = state.tier;
    const caveats = new Set<string>();
    const summary = (exitCode: ExitCode, message: string, steps: StepSummary[]): PromotionSummary => ({
        command: "promote",
        stack,
        engine: engine.name,
        ok: exitCode === ExitCode.Success,
        exitCode,
        message,
        startTier,
        finalTier: store.read(stack).tier,
        steps,
        interrupted,
        caveats: [...caveats],
    });

    pruneOtpBookkeeping(state.otp, driverConfig.otp, now());
    const locked = lockoutMessage(stack, state.otp, now());
    if (locked) {
        log(`gate otp: REFUSED - ${locked}`);
        return summary(ExitCode.OtpRefused, locked, []);
    }

    const tiers: Record<string, Tier | null> = {};
    for (const other of driverConfig.environments) tiers[other] = store.read(other).tier;
    const plan = planPromotion(
        {
            stack,
            currentTier: state.tier,
            environments: driverConfig.environments,
            tiers,
            otp: driverConfig.otp,
            ...(state.failedUp ? { failedUp: { to: state.failedUp.to } } : {}),
            ...(options.lowestTier !== undefined ? { lowestTier: options.lowestTier } : {}),
        },
        options.request,
    );
    if (!plan.ok) {
        log(`plan: REFUSED - ${plan.message}`);
        return summary(plan.reason === "rollback" || plan.reason === "downward" ? ExitCode.BadInput : ExitCode.OrderRefused, plan.message, []);
    }
    log(`plan: ${plan.message}`);
    if (plan.steps.length === 0) return summary(ExitCode.Success, plan.message, []);
    // Validate the stack configuration of every step before touching the engine.
    const caps = new Map<Tier, CostCaps>();
    for (const step of plan.steps) caps.set(step.to, options.capsFor(step.to));

    // Known from the start, so an error text that carries the seed is masked from the first step on.
    await secrets.learnSeed(engine, stack);
    const drift = await driftGate(engine, options, { engine, options, store, secrets, caps: caps.get(plan.steps[0].to)!, now, log }, plan.steps[0], state.tier);
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
        const context: StepContext = { engine, options, store, secrets, caps: caps.get(step.to)!, otpApprovedInStep, approval, now, log };
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
    state = store.read(stack);
    const verb = plan.steps[0].kind === "rollback" ? "rolled back" : "promoted";
    return summary(ExitCode.Success, `${stack} ${verb} to tier ${state.tier} (${steps.length} step(s))`, steps);
}
