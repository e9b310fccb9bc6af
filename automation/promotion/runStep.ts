/**
 * One promotion step, gate after gate: preview with all packs (the plan and its digest) -> the
 * approved plan, if one was given -> policy gate (exemptions applied) -> cost vs caps (and the
 * review report) -> OTP -> in-progress record -> `up` of exactly the previewed plan -> outputs ->
 * final record. Each gate either lets the step go on or ends it through `StepRecord.finish`.
 */
import * as path from "path";
import { EngineRequest, EngineResult, PolicyViolation } from "../engines/engine";
import { applyExemptions, exemptedPolicies, restoreLevels } from "./exemptions";
import { costLineOf, costVersusCaps, overCapReason, policyVerdict, toAuditViolations } from "./gates";
import { otpGate } from "./otpApproval";
import { PlannedStep, tierLabel } from "./plan";
import { planDigest, shortDigest } from "./planDigest";
import { ensureDir } from "../state/safeFs";
import { StepContext, StepOutcome, StepRecord } from "./stepRecord";
import type { StepTarget } from "../targets/kubernetesTarget";
import { describeProblem } from "../targets/rollout";

/** A gate lets the step continue (with what it learned) or ends it. */
type Gate<T> = { next: T } | { stop: StepOutcome };

export async function runStep(context: StepContext, step: PlannedStep): Promise<StepOutcome> {
    const record = new StepRecord(context, step);
    if (context.options.driftNote) {
        record.notes.push(context.options.driftNote);
        delete context.options.driftNote;
    }
    if (step.otpRequired && context.approval && !context.approval.ok) {
        context.log(`  gate otp: REFUSED - ${context.approval.message}`);
        record.otpLockedUntil = context.approval.lockedUntil;
        return record.finish("otp-refused", context.approval.message);
    }
    const request: EngineRequest = {
        stack: context.options.stack,
        tier: step.to,
        ...(context.options.configOverrides ? { configOverrides: context.options.configOverrides } : {}),
        onOutput: (line) => context.log(`  ${line}`),
        // The pulumi engine saves the update plan of the preview here and `up` applies exactly it.
        plan: { file: path.join(context.options.stateDir, "plans", context.options.stack, `${record.stepId}.plan.json`) },
    };
    const preview = await previewAndPolicyGate(context, record, request);
    if ("stop" in preview) return preview.stop;
    const cost = await costGate(context, record, preview.next);
    if ("stop" in cost) return cost.stop;
    const otp = await otpStepGate(context, record);
    if ("stop" in otp) return otp.stop;
    const target = context.options.targetFor?.(step.to);
    try {
        if (target) {
            const checked = await preflightGate(context, record, target, preview.next.preview);
            if ("stop" in checked) return checked.stop;
        }
        const planned: EngineRequest = { ...request, plan: { file: request.plan!.file, digest: record.planDigest }, advisoryPolicies: exemptedPolicies(record.violations) };
        return await deploy(context, record, planned, target, preview.next.preview);
    } finally {
        target?.close?.();
    }
}

async function preflightGate(context: StepContext, record: StepRecord, target: StepTarget, preview: EngineResult): Promise<Gate<void>> {
    const { log, options } = context;
    if (options.skipPreflight) {
        record.notes.push("preflight skipped (--skip-preflight)");
        log(`  gate preflight: SKIPPED (--skip-preflight) on ${target.description}`);
        return { next: undefined };
    }
    log(`  gate preflight: ${target.description}`);
    const report = await target.preflight(preview);
    report.lines.forEach((line) => log(`    ${line}`));
    record.target = { preflight: report };
    if (!report.ok) {
        report.problems.forEach((p) => log(`    REFUSED ${p}`));
        return { stop: record.finish("target-refused", `preflight: the target cannot take the step, nothing changed: ${report.problems.join("; ")}`) };
    }
    log(`  gate preflight: passed`);
    return { next: undefined };
}

async function previewAndPolicyGate(
    context: StepContext,
    record: StepRecord,
    request: EngineRequest,
): Promise<Gate<{ preview: EngineResult; policy: ReturnType<typeof policyVerdict> }>> {
    const { engine, log } = context;
    log(`${record.label}: preview with all policy packs (${engine.name} engine)`);
    let preview: EngineResult;
    ensurePlanDir(request);
    try {
        preview = await engine.preview(request);
    } catch (e) {
        return { stop: record.finish("failed", `preview failed: ${(e as Error).message}`) };
    }
    record.caveats.push(...preview.caveats);
    if (!preview.ok) return { stop: record.finish("failed", `preview failed: ${preview.error ?? "unknown engine error"}`) };
    record.previewed = true;
    // The plan this step may apply, named by every verdict, the review and the OTP approval.
    record.planDigest = preview.planDigest ?? planDigest(preview.resources);
    log(`  plan: ${record.planDigest} (${preview.resources.length} resources)`);
    const exempted = applyExemptions(preview.policyViolations, context.options.exemptionsFor?.(record.step.to) ?? [], context.now());
    preview = { ...preview, policyViolations: exempted.violations, planDigest: record.planDigest };
    record.violations = exempted.violations;
    record.staleExemptions = exempted.stale;
    record.policyViolations = toAuditViolations(preview.policyViolations, (t) => context.secrets.scrub(t));
    reportViolations(preview.policyViolations, log);
    for (const e of exempted.stale) log(`  exemption STALE: ${e.policy} on ${e.resource} (approved by ${e.approver} until ${e.expires}) matches no policy result of this step: remove it`);
    const approved = context.options.approvedPlan;
    if (approved && approved !== record.planDigest) {
        log(`  gate plan: CHANGED - the approved plan is ${approved}, this preview is ${record.planDigest}`);
        return {
            stop: record.finish("plan-changed", `the plan changed since it was reviewed: approved ${approved}, previewed now ${record.planDigest}; review the step again and approve the new digest`),
        };
    }
    if (approved) log(`  gate plan: the previewed plan is the approved one (${shortDigest(approved)})`);
    const policy = policyVerdict(preview.policyViolations);
    if (policy.verdict === "denied") {
        log(`  gate policy: DENIED - ${policy.mandatory.length} mandatory violation(s) (plan ${shortDigest(record.planDigest)})`);
        return { stop: record.finish("policy-denied", policy.message) };
    }
    log(policy.verdict === "over-cap"
        ? `  gate policy: OVER CAP - ${policy.mandatory.length} mandatory violation(s), all of the cost-caps pack: reported by the cost gate`
        : `  gate policy: passed (${preview.policyViolations.length} result(s), none blocking) for plan ${shortDigest(record.planDigest)}`);
    return { next: { preview, policy } };
}

async function costGate(
    context: StepContext,
    record: StepRecord,
    { preview, policy }: { preview: EngineResult; policy: ReturnType<typeof policyVerdict> },
): Promise<Gate<void>> {
    const { options, caps, log } = context;
    let cost: ReturnType<typeof costVersusCaps>;
    try {
        cost = costVersusCaps(options.estimateCost(preview.resources), caps);
    } catch (e) {
        if (policy.verdict === "over-cap") return { stop: record.finish("over-cap", `${policy.message} (cost estimate failed: ${(e as Error).message})`) };
        return { stop: record.finish("failed", `cost estimate failed: ${(e as Error).message}`) };
    }
    record.cost = cost;
    if (options.hooks?.afterPreview) {
        try {
            record.reportPath = await options.hooks.afterPreview(record.step, preview, cost);
            if (record.reportPath) log(`  review report: ${record.reportPath}`);
        } catch (e) {
            log(`  review report not written: ${(e as Error).message}`);
        }
    }
    const overCap = [policy.verdict === "over-cap" ? policy.message : undefined, overCapReason(cost)].filter(Boolean).join("; ");
    const costLine = costLineOf(cost);
    if (overCap) {
        log(`  gate cost: OVER CAP - ${costLine}`);
        return { stop: record.finish("over-cap", overCap) };
    }
    log(`  gate cost: passed - ${costLine} (plan ${shortDigest(record.planDigest ?? "")})`);
    return { next: undefined };
}

async function otpStepGate(context: StepContext, record: StepRecord): Promise<Gate<void>> {
    const { log } = context;
    if (!record.step.otpRequired) {
        log(`  gate otp: not required for this step`);
        return { next: undefined };
    }
    if (context.otpApprovedInStep) {
        record.otpVerified = true;
        record.otpApprovedInStep = context.otpApprovedInStep;
        log(`  gate otp: passed for plan ${record.planDigest} (approved by the code verified earlier in this run, step ${record.otpApprovedInStep})`);
        return { next: undefined };
    }
    if (context.approval?.ok && context.approval.verified) {
        record.otpVerified = true;
        log(`  gate otp: passed for plan ${record.planDigest} (code verified at the start of this run)`);
        return { next: undefined };
    }
    // After a bootstrap step the gate exists now: the code is checked against its seed.
    const gate = await otpGate(context, record.step);
    if (!gate.ok) {
        log(`  gate otp: REFUSED - ${gate.message}`);
        record.otpLockedUntil = gate.lockedUntil;
        return { stop: record.finish("otp-refused", gate.message) };
    }
    record.otpVerified = gate.verified;
    log(`  gate otp: ${gate.verified ? "passed (code verified)" : `BOOTSTRAP - ${gate.message}`}`);
    return { next: undefined };
}

async function deploy(context: StepContext, record: StepRecord, request: EngineRequest, target: StepTarget | undefined, preview: EngineResult): Promise<StepOutcome> {
    const { engine, options, secrets, log } = context;
    const { step } = record;
    const next = step.kind === "rollback"
        ? "the recorded tier is unchanged and the next --rollback re-applies it"
        : `the stack stays at tier ${tierLabel(step.from)} and the next run retries this step, or --rollback re-applies tier ${tierLabel(step.from)}`;
    record.markInProgress();
    log(`${record.label}: up`);
    await options.hooks?.duringUp?.(step);
    record.upStarted = true;
    const since = new Date(Date.now() - 1000);
    const abort = new AbortController();
    let refused: string[] | undefined;
    const watch = target?.watch(preview, since, (problems) => {
        refused = problems.map(describeProblem);
        log(`  rollout: the cluster refuses the step, stopping up: ${refused.join("; ")}`);
        abort.abort();
    });
    let up: EngineResult;
    try {
        up = await engine.up({ ...request, ...(target ? { signal: abort.signal } : {}) });
    } catch (e) {
        await watch?.stop();
        return record.finish("failed", `up failed: ${refused ? `the cluster refused the rollout: ${refused.join("; ")}` : (e as Error).message}; ${next}`);
    }
    await watch?.stop();
    if (refused) {
        return record.finish("failed", `up stopped: the cluster refused the rollout: ${refused.join("; ")}; ${next}`);
    }
    if (!up.ok && up.planChanged) {
        return record.finish("plan-changed", `up refused: ${up.error ?? "the plan changed between preview and up"}; nothing of the new plan was applied by the driver; run the step again to preview and review the new plan`);
    }
    if (!up.ok) {
        return record.finish("failed", `up failed: ${up.error ?? "unknown engine error"}; ${next}`);
    }
    // Policies lowered for exempted results count as mandatory again before the exemptions re-apply.
    const upViolations = applyExemptions(restoreLevels(up.policyViolations, request.advisoryPolicies ?? [], record.violations), options.exemptionsFor?.(step.to) ?? [], context.now()).violations;
    const upPolicy = policyVerdict(upViolations);
    if (upPolicy.verdict !== "passed") {
        record.policyViolations = toAuditViolations(upViolations, (t) => secrets.scrub(t));
        return record.finish(upPolicy.verdict === "over-cap" ? "over-cap" : "policy-denied", `up refused: ${upPolicy.message}`);
    }
    secrets.add(await engine.otpSeed(options.stack).catch(() => undefined));
    try {
        record.outputs = Object.keys(up.outputs).length ? up.outputs : await engine.outputs(options.stack);
    } catch (e) {
        log(`  outputs could not be read: ${(e as Error).message}`);
    }
    if (record.outputs) log(`  outputs: ${Object.keys(record.outputs).join(", ") || "(none)"}`);
    if (target) {
        log(`  gate verification: ${target.description}`);
        const verification = await target.verify(up.resources.length ? up : preview, since);
        verification.lines.forEach((line) => log(`    ${line}`));
        record.target = { ...(record.target ?? {}), verification };
        if (!verification.ok) {
            verification.problems.forEach((p) => log(`    FAILED ${p}`));
            return record.finish("failed", `verification after up failed: ${verification.problems.join("; ")}; ${next}`);
        }
        log(`  gate verification: passed`);
    }
    return record.finish(step.kind === "rollback" ? "rolled-back" : "succeeded");
}

function reportViolations(violations: PolicyViolation[], log: (line: string) => void): void {
    for (const v of violations) {
        const level = v.enforcementLevel === "mandatory" ? "MANDATORY" : v.enforcementLevel;
        const exemption = v.exemption?.status === "active"
            ? ` [EXEMPTED until ${v.exemption.expires} by ${v.exemption.approver}: ${v.exemption.reason}]`
            : v.exemption ? ` [exemption EXPIRED on ${v.exemption.expires}]` : "";
        log(`  policy ${level} ${v.policyPackName}/${v.policyName}${v.resourceUrn ? ` on ${v.resourceUrn}` : ""}: ${v.message}${exemption}`);
    }
}


/** The folder of the plan file the pulumi engine writes. */
function ensurePlanDir(request: EngineRequest): void {
    if (request.plan?.file) ensureDir(path.dirname(request.plan.file));
}
