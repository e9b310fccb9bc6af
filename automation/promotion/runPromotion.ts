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
import { Tier } from "../../infra/catalog/types";
import { appendAudit, AuditCost, AuditRecord, AuditViolation } from "../audit/auditLog";
import { DriverConfig } from "../driverConfig";
import { Engine, EngineRequest, EngineResult, PolicyViolation, scrubSecrets } from "../engines/engine";
import { ExitCode } from "../exitCodes";
import { lockoutMessage, pruneOtpBookkeeping, verifyOtp } from "../otp/totp";
import { acquireStackLock, StackLock } from "../state/lock";
import * as os from "os";
import { PendingGate, StateStore, StepResult } from "../state/stackState";
import { CostCaps, CostEstimator, costVersusCaps, overCapReason, policyVerdict, toAuditViolations } from "./gates";
import { PlannedStep, planPromotion, PromotionRequest, tierLabel } from "./plan";
import { reconcileInterrupted } from "./reconcile";

export interface PromotionHooks {
    /**
     * Called after the in-progress record is written and before `up` runs. A crash injected
     * here (a throw, or killing the process) is a crash in the middle of `up`.
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

/** Step results that end the walk, with their exit code and the gate `status` shows. */
const STOPS: Record<Exclude<StepResult, "succeeded" | "rolled-back" | "interrupted">, { exitCode: ExitCode; gate: PendingGate["gate"] }> = {
    "policy-denied": { exitCode: ExitCode.PolicyViolation, gate: "policy" },
    "over-cap": { exitCode: ExitCode.OverCap, gate: "cost" },
    "otp-refused": { exitCode: ExitCode.OtpRefused, gate: "otp" },
    failed: { exitCode: ExitCode.EngineFailure, gate: "engine" },
};

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

/** Secrets known to this run, masked in every line printed and every message recorded. */
class KnownSecrets {
    private readonly known: (string | undefined)[];

    constructor(initial: (string | undefined)[] = []) {
        this.known = [...initial];
    }

    add(secret: string | undefined): void {
        if (secret) this.known.push(secret);
    }

    /** Reads the stack's OTP seed so it can be masked; a stack without a gate has none. */
    async learnSeed(engine: Engine, stack: string): Promise<void> {
        try {
            this.add(await engine.otpSeed(stack));
        } catch {
            // No seed to mask; the OTP gate reports the failure if a step needs the seed.
        }
    }

    scrub(text: string): string {
        return scrubSecrets(text, this.known);
    }
}

interface StepContext {
    engine: Engine;
    options: PromotionOptions;
    store: StateStore;
    secrets: KnownSecrets;
    caps: CostCaps;
    /** The stepId of this run's step that verified a code, if any. */
    otpApprovedInStep?: string;
    /** The run's approval, checked before the first preview (see runPromotion). */
    approval?: OtpGateOutcome;
    now: () => Date;
    log: (line: string) => void;
}

interface StepOutcome {
    summary: StepSummary;
    caveats: string[];
}

async function runStep(context: StepContext, step: PlannedStep): Promise<StepOutcome> {
    const { engine, options, store, secrets, caps, now, log } = context;
    const { stack } = options;
    const started = Date.now();
    const stepId = randomUUID();
    const label = `${stack} ${step.kind === "rollback" ? "rollback" : "step"} ${tierLabel(step.from)} -> ${step.to}`;
    const caveats: string[] = [];
    let policyViolations: AuditViolation[] = [];
    let cost: AuditCost | undefined;
    let otpVerified = false;
    let otpApprovedInStep: string | undefined;
    let reportPath: string | undefined;
    let lastOutputs: Record<string, unknown> | undefined;
    let upStarted = false;
    const base = { stepId, kind: step.kind, from: step.from, to: step.to, engine: engine.name, actor: options.actor };

    /** The step's audit line as it stands: the one builder of the in-progress and the final line. */
    const auditRecord = (result: AuditRecord["result"], time: string, message?: string): AuditRecord => ({
        time,
        stack,
        stepId,
        actor: options.actor,
        kind: step.kind,
        fromTier: step.from,
        toTier: step.to,
        engine: engine.name,
        result,
        policyViolations,
        ...(cost ? { cost } : {}),
        otpVerified,
        ...(otpApprovedInStep ? { otpApprovedInStep } : {}),
        ...(message ? { message } : {}),
    });

    const finish = (result: StepResult, rawMessage?: string): StepOutcome => {
        const message = rawMessage === undefined ? undefined : secrets.scrub(rawMessage);
        const time = now().toISOString();
        const stop = STOPS[result as keyof typeof STOPS];
        store.update(stack, (state) => {
            delete state.inProgress;
            if (result === "succeeded" || result === "rolled-back") {
                state.tier = step.to;
                state.pendingGates = [];
                delete state.failedUp;
            } else if (stop) {
                state.pendingGates = [{ gate: stop.gate, to: step.to, message: message ?? result, time }];
            }
            if (result === "failed" && upStarted) {
                state.failedUp = { stepId, kind: step.kind, to: step.to, result: "failed", time };
            }
            state.lastPromotion = { ...base, result, time, ...(lastOutputs ? { outputs: lastOutputs } : {}) };
        });
        appendAudit(options.stateDir, auditRecord(result, time, message));
        const mark = result === "succeeded" || result === "rolled-back" ? "OK" : "STOPPED";
        log(`${label}: ${mark} ${result}${message ? ` - ${message}` : ""}`);
        return {
            summary: {
                stepId,
                kind: step.kind,
                from: step.from,
                to: step.to,
                result,
                otpRequired: step.otpRequired,
                otpVerified,
                ...(otpApprovedInStep ? { otpApprovedInStep } : {}),
                policyViolations,
                ...(cost ? { cost } : {}),
                ...(reportPath ? { reportPath } : {}),
                ...(message ? { message } : {}),
                durationMs: Date.now() - started,
            },
            caveats,
        };
    };

    if (step.otpRequired && context.approval && !context.approval.ok) {
        log(`  gate otp: REFUSED - ${context.approval.message}`);
        return finish("otp-refused", context.approval.message);
    }
    log(`${label}: preview with all policy packs (${engine.name} engine)`);
    const request: EngineRequest = {
        stack,
        tier: step.to,
        ...(options.configOverrides ? { configOverrides: options.configOverrides } : {}),
        onOutput: (line) => log(`  ${line}`),
    };
    let preview: EngineResult;
    try {
        preview = await engine.preview(request);
    } catch (e) {
        return finish("failed", `preview failed: ${(e as Error).message}`);
    }
    caveats.push(...preview.caveats);
    if (!preview.ok) return finish("failed", `preview failed: ${preview.error ?? "unknown engine error"}`);
    policyViolations = toAuditViolations(preview.policyViolations);
    reportViolations(preview.policyViolations, log);
    const policy = policyVerdict(preview.policyViolations);
    if (policy.verdict === "denied") {
        log(`  gate policy: DENIED - ${policy.mandatory.length} mandatory violation(s)`);
        return finish("policy-denied", policy.message);
    }
    const mandatoryCount = policy.verdict === "over-cap" ? policy.mandatory.length : 0;
    log(policy.verdict === "over-cap"
        ? `  gate policy: OVER CAP - ${mandatoryCount} mandatory violation(s), all of the cost-caps pack: reported by the cost gate`
        : `  gate policy: passed (${preview.policyViolations.length} advisory result(s))`);

    try {
        cost = costVersusCaps(options.estimateCost(preview.resources), caps);
    } catch (e) {
        if (policy.verdict === "over-cap") return finish("over-cap", `${policy.message} (cost estimate failed: ${(e as Error).message})`);
        return finish("failed", `cost estimate failed: ${(e as Error).message}`);
    }
    if (options.hooks?.afterPreview) {
        try {
            reportPath = await options.hooks.afterPreview(step, preview, cost);
            if (reportPath) log(`  review report: ${reportPath}`);
        } catch (e) {
            log(`  review report not written: ${(e as Error).message}`);
        }
    }
    const overCap = [policy.verdict === "over-cap" ? policy.message : undefined, overCapReason(cost)].filter(Boolean).join("; ");
    const costLine = `$${cost.monthlyExpected.toFixed(2)}/month expected of cap $${cost.monthlyCap.toFixed(2)} (${(cost.capUtilisation * 100).toFixed(1)} %), worst case $${cost.hourlyWorstCase.toFixed(2)}/hour of $${cost.maxCostPerHour.toFixed(2)}`;
    if (overCap) {
        log(`  gate cost: OVER CAP - ${costLine}`);
        return finish("over-cap", overCap);
    }
    log(`  gate cost: passed - ${costLine}`);

    if (step.otpRequired) {
        if (context.otpApprovedInStep) {
            otpVerified = true;
            otpApprovedInStep = context.otpApprovedInStep;
            log(`  gate otp: passed (approved by the code verified earlier in this run, step ${otpApprovedInStep})`);
        } else if (context.approval?.ok && context.approval.verified) {
            otpVerified = true;
            log(`  gate otp: passed (code verified at the start of this run)`);
        } else {
            // After a bootstrap step the gate exists now: the code is checked against its seed.
            const gate = await otpGate(context, step);
            if (!gate.ok) {
                log(`  gate otp: REFUSED - ${gate.message}`);
                return finish("otp-refused", gate.message);
            }
            otpVerified = gate.verified;
            log(`  gate otp: ${gate.verified ? "passed (code verified)" : `BOOTSTRAP - ${gate.message}`}`);
        }
    } else {
        log(`  gate otp: not required for this step`);
    }

    // In-progress record: state first, then audit (see the header for why this order).
    store.update(stack, (state) => {
        state.inProgress = { ...base, startedAt: now().toISOString(), pid: process.pid, host: os.hostname() };
    });
    appendAudit(options.stateDir, auditRecord("in-progress", now().toISOString()));
    log(`${label}: up`);
    await options.hooks?.duringUp?.(step);
    upStarted = true;
    let up: EngineResult;
    try {
        up = await engine.up(request);
    } catch (e) {
        return finish("failed", `up failed: ${(e as Error).message}`);
    }
    if (!up.ok) {
        const next = step.kind === "rollback"
            ? "the recorded tier is unchanged and the next --rollback re-applies it"
            : `the stack stays at tier ${tierLabel(step.from)} and the next run retries this step, or --rollback re-applies tier ${tierLabel(step.from)}`;
        return finish("failed", `up failed: ${up.error ?? "unknown engine error"}; ${next}`);
    }
    const upPolicy = policyVerdict(up.policyViolations);
    if (upPolicy.verdict !== "passed") {
        policyViolations = toAuditViolations(up.policyViolations);
        return finish(upPolicy.verdict === "over-cap" ? "over-cap" : "policy-denied", `up refused: ${upPolicy.message}`);
    }
    secrets.add(await engine.otpSeed(stack).catch(() => undefined));
    try {
        lastOutputs = Object.keys(up.outputs).length ? up.outputs : await engine.outputs(stack);
    } catch (e) {
        log(`  outputs could not be read: ${(e as Error).message}`);
    }
    if (lastOutputs) log(`  outputs: ${Object.keys(lastOutputs).join(", ") || "(none)"}`);
    return finish(step.kind === "rollback" ? "rolled-back" : "succeeded");
}

function reportViolations(violations: PolicyViolation[], log: (line: string) => void): void {
    for (const v of violations) {
        const level = v.enforcementLevel === "mandatory" ? "MANDATORY" : v.enforcementLevel;
        log(`  policy ${level} ${v.policyPackName}/${v.policyName}${v.resourceUrn ? ` on ${v.resourceUrn}` : ""}: ${v.message}`);
    }
}

type OtpGateOutcome = { ok: true; verified: boolean; message: string } | { ok: false; message: string };

async function otpGate(context: Pick<StepContext, "engine" | "options" | "store" | "secrets" | "now">, step: PlannedStep): Promise<OtpGateOutcome> {
    const { engine, options, store, secrets, now } = context;
    const { stack } = options;
    let seed: string | undefined;
    try {
        seed = await engine.otpSeed(stack);
    } catch (e) {
        // The engine's message is not trusted to be free of the seed.
        return { ok: false, message: `could not read the OtpGate seed of stack ${stack} from the ${engine.name} engine (${(e as Error).name})` };
    }
    secrets.add(seed);
    if (seed === undefined && step.from === null && options.bootstrapOtpGate) {
        return { ok: true, verified: false, message: `first deployment of ${stack}: no OtpGate exists yet, allowed by --bootstrap-otp-gate` };
    }
    let outcome: ReturnType<typeof verifyOtp> = { ok: false, reason: "missing", message: "" };
    try {
        store.update(stack, (s) => {
            outcome = verifyOtp({ stack, code: options.otpCode, seed, otp: s.otp, policy: options.driverConfig.otp, now: now() });
        });
    } catch (e) {
        return { ok: false, message: `OTP verification failed: ${(e as Error).message}` };
    }
    return outcome.ok ? { ok: true, verified: true, message: "verified" } : { ok: false, message: outcome.message };
}
