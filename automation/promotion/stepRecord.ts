/**
 * What one promotion step has learned so far (violations, cost, OTP approval, outputs) and the
 * one place that writes it: the in-progress record before `up`, the final record after.
 * State is written before the audit line, so a crash between the two is reconciled next run.
 */
import { randomUUID } from "crypto";
import * as os from "os";
import { appendAudit, AuditCost, AuditRecord, AuditTarget, AuditViolation, StepAuditRecord } from "../audit/auditLog";
import type { PolicyExemption } from "../../config/config";
import type { TargetReport } from "../targets/preflight";
import { appendTargetChecks } from "../review";
import { Engine, PolicyViolation } from "../engines/engine";
import { ExitCode } from "../exitCodes";
import { PendingGate, StateStore, StepResult } from "../state/stackState";
import { CostCaps } from "./gates";
import { KnownSecrets } from "./knownSecrets";
import { PlannedStep, tierLabel } from "./plan";
import type { OtpGateOutcome, PromotionOptions, StepSummary } from "./types";

/** Step results that end the walk, with their exit code and the gate `status` shows. */
export const STOPS: Record<Exclude<StepResult, "succeeded" | "rolled-back" | "interrupted" | "drift-adopted">, { exitCode: ExitCode; gate: PendingGate["gate"] }> = {
    "policy-denied": { exitCode: ExitCode.PolicyViolation, gate: "policy" },
    "over-cap": { exitCode: ExitCode.OverCap, gate: "cost" },
    "otp-refused": { exitCode: ExitCode.OtpRefused, gate: "otp" },
    "plan-changed": { exitCode: ExitCode.PlanChanged, gate: "plan" },
    "target-refused": { exitCode: ExitCode.TargetRefused, gate: "target" },
    "drift-refused": { exitCode: ExitCode.Drift, gate: "drift" },
    failed: { exitCode: ExitCode.EngineFailure, gate: "engine" },
};

export interface StepContext {
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
    /** The environment the stack declares; recorded in the state at its first deployment. */
    environment?: string;
}

export interface StepOutcome {
    summary: StepSummary;
    caveats: string[];
}

export class StepRecord {
    readonly stepId = randomUUID();
    readonly label: string;
    readonly caveats: string[] = [];
    policyViolations: AuditViolation[] = [];
    cost?: AuditCost;
    otpVerified = false;
    otpApprovedInStep?: string;
    /** Set when this step's wrong code started an OTP lockout. */
    otpLockedUntil?: string;
    /** Digest of the step's previewed plan (promotion/planDigest.ts). */
    planDigest?: string;
    /** Exemptions of the stack that matched nothing in this step's preview. */
    staleExemptions: PolicyExemption[] = [];
    /** The step's policy results as the engine reported them, exemptions marked (for SARIF and JUnit). */
    violations: PolicyViolation[] = [];
    /** Whether the step's preview ran (its policy results are known). */
    previewed = false;
    reportPath?: string;
    outputs?: Record<string, unknown>;
    /** Set once `up` was called: a failure after it leaves resources to recover (state.failedUp). */
    upStarted = false;
    /** The target's preflight and verification reports (Kubernetes targets). */
    target?: { preflight?: TargetReport; verification?: TargetReport };
    /** Choices that changed how the step ran, for the audit line. */
    readonly notes: string[] = [];
    private readonly started = Date.now();

    constructor(private readonly context: StepContext, readonly step: PlannedStep) {
        this.label = `${context.options.stack} ${step.kind === "rollback" ? "rollback" : "step"} ${tierLabel(step.from)} -> ${step.to}`;
    }

    private get base() {
        const { step, context } = this;
        return { stepId: this.stepId, kind: step.kind, from: step.from, to: step.to, engine: context.engine.name, actor: context.options.actor };
    }

    /** The step's audit line as it stands: the one builder of the in-progress and the final line. */
    auditLine(result: AuditRecord["result"], time: string, message?: string): StepAuditRecord {
        const { step, context } = this;
        return {
            time,
            stack: context.options.stack,
            stepId: this.stepId,
            actor: context.options.actor,
            kind: step.kind,
            fromTier: step.from,
            toTier: step.to,
            engine: context.engine.name,
            result,
            policyViolations: this.policyViolations,
            ...(this.cost ? { cost: this.cost } : {}),
            otpVerified: this.otpVerified,
            ...(this.otpApprovedInStep ? { otpApprovedInStep: this.otpApprovedInStep } : {}),
            ...(this.otpLockedUntil ? { otpLockedUntil: this.otpLockedUntil } : {}),
            ...(this.planDigest ? { planDigest: this.planDigest } : {}),
            ...(context.options.approvedPlan ? { approvedPlan: context.options.approvedPlan } : {}),
            ...(this.staleExemptions.length ? { staleExemptions: this.staleExemptions.map((e) => ({ policy: e.policy, resource: e.resource, expires: e.expires })) } : {}),
            ...(context.options.configOverrides ? { configOverrides: context.options.configOverrides } : {}),
            ...(message ? { message } : {}),
            ...(this.target ? { target: this.auditTarget() } : {}),
            ...(this.notes.length ? { notes: [...this.notes] } : {}),
        };
    }

    private auditTarget(): AuditTarget {
        const brief = (r: TargetReport) => ({ ok: r.ok, problems: r.problems.map((p) => this.context.secrets.scrub(p)) });
        return {
            ...(this.target?.preflight ? { preflight: brief(this.target.preflight) } : {}),
            ...(this.target?.verification ? { verification: brief(this.target.verification) } : {}),
        };
    }

    /** In-progress record: state first, then audit. */
    markInProgress(): void {
        const { store, options, now } = this.context;
        store.update(options.stack, (state) => {
            state.inProgress = { ...this.base, startedAt: now().toISOString(), pid: process.pid, host: os.hostname() };
        });
        appendAudit(options.stateDir, this.auditLine("in-progress", now().toISOString()));
    }

    /** Final record of the step: state (tier, pending gates, failed up), then the audit line. */
    finish(result: StepResult, rawMessage?: string): StepOutcome {
        const { store, options, secrets, now, log } = this.context;
        const { step, stepId } = this;
        const message = rawMessage === undefined ? undefined : secrets.scrub(rawMessage);
        const time = now().toISOString();
        const stop = STOPS[result as keyof typeof STOPS];
        store.update(options.stack, (state) => {
            delete state.inProgress;
            if (result === "succeeded" || result === "rolled-back") {
                state.tier = step.to;
                state.environment ??= this.context.environment;
                state.pendingGates = [];
                delete state.failedUp;
                delete state.driftOverwrite;
            } else if (stop) {
                state.pendingGates = [{ gate: stop.gate, to: step.to, message: message ?? result, time }];
            }
            if (result === "failed" && this.upStarted) {
                state.failedUp = { stepId, kind: step.kind, to: step.to, result: "failed", time };
            }
            state.lastPromotion = { ...this.base, result, time, ...(this.outputs ? { outputs: this.outputs } : {}) };
        });
        appendAudit(options.stateDir, this.auditLine(result, time, message));
        if (this.target && this.reportPath) {
            try {
                appendTargetChecks(this.reportPath, this.auditTarget());
            } catch (e) {
                log(`  review report not updated with the target checks: ${(e as Error).message}`);
            }
        }
        const mark = result === "succeeded" || result === "rolled-back" ? "OK" : "STOPPED";
        log(`${this.label}: ${mark} ${result}${message ? ` - ${message}` : ""}`);
        return {
            summary: {
                stepId,
                kind: step.kind,
                from: step.from,
                to: step.to,
                result,
                otpRequired: step.otpRequired,
                otpVerified: this.otpVerified,
                ...(this.otpApprovedInStep ? { otpApprovedInStep: this.otpApprovedInStep } : {}),
                policyViolations: this.policyViolations,
                ...(this.cost ? { cost: this.cost } : {}),
                ...(this.reportPath ? { reportPath: this.reportPath } : {}),
                ...(message ? { message } : {}),
                ...(this.planDigest ? { planDigest: this.planDigest } : {}),
                ...(this.target ? { target: this.auditTarget() } : {}),
                staleExemptions: this.staleExemptions,
                violations: this.violations,
                previewed: this.previewed,
                durationMs: Date.now() - this.started,
            },
            caveats: this.caveats,
        };
    }
}
