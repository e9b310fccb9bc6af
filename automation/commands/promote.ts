/**
 * `promote`: walks a stack up (or back) the tiers through the promotion core, and writes the SARIF and JUnit reports asked for.
 */
import * as path from "path";
import { Tier } from "../../contract/catalog";
import { currentActor } from "../audit/actor";
import { PASSPHRASE_ENV } from "../engines/pulumi/pulumiEngine";
import { tierLabel } from "../promotion/plan";
import { runPromotion } from "../promotion/runPromotion";
import { sharedCostEstimator } from "../promotion/sharedCost";
import { findRepoRoot } from "../repoRoot";
import { reviewHook } from "../commands/review";
import { stepTargetFor } from "../targets/kubernetesTarget";
import { junitXml } from "../reports/junit";
import { sarifLog } from "../reports/sarif";
import { writeFileAtomic } from "../state/safeFs";
import type { PromotionHooks } from "../promotion/types";
import { CommandEnv, OTP_ENV, environmentOf, environmentTiers, lowestTierOf, stackConfigAt, stackFileMustExist } from "./context";

/** `promote`: walks a stack up (or back) the tiers through the promotion core, and writes the SARIF and JUnit reports asked for. */
export async function promote(env: CommandEnv): Promise<number> {
    const { args, io, stateDir } = env;
    const stack = args.stack!;
    const log = args.json ? io.err : io.out;
    stackFileMustExist(env, stack);
    const engine = env.makeEngine();
    log(`promote ${stack}${args.rollback ? " (rollback)" : args.to !== undefined ? ` to tier ${args.to}` : ""} - engine ${engine.name}, state ${stateDir}`);
    const hooks: PromotionHooks = {
        afterPreview: reviewHook(env, engine, stack),
        ...env.context.hooks,
    };
    // Config is read under the stack lock (in runPromotion), so a refused config is audited too.
    let estimator: ReturnType<typeof sharedCostEstimator> | undefined;
    const summary = await runPromotion(engine, {
        stack,
        request: { to: args.to, rollback: args.rollback, walk: !args.noWalk },
        stateDir,
        driverConfig: env.config,
        capsFor: (tier) => stackConfigAt(env, stack, tier).cost,
        enforcementFor: (tier) => ({ level: stackConfigAt(env, stack, tier).policyEnforcement, overridden: args.config.policyEnforcement !== undefined }),
        lowestTier: () => lowestTierOf(env, stack),
        environment: () => environmentOf(env, stack),
        environmentTiers: () => environmentTiers(env),
        estimateCost: (resources) => {
            estimator ??= sharedCostEstimator(stackConfigAt(env, stack, args.to ?? lowestTierOf(env, stack)).regions.primary);
            return estimator(resources);
        },
        actor: currentActor(io.env),
        otpCode: args.otp ?? io.env[OTP_ENV],
        secrets: [io.env[PASSPHRASE_ENV]],
        bootstrapOtpGate: args.bootstrapOtpGate,
        configOverrides: Object.keys(args.config).length ? args.config : undefined,
        command: `promote --stack ${stack}${args.to !== undefined ? ` --to ${args.to}` : ""}${args.rollback ? " --rollback" : ""}`,
        // Only the real engine reaches clusters; the offline engine says it cannot see them.
        ...(engine.name === "pulumi" ? { targetFor: (tier: Tier) => stepTargetFor(stackConfigAt(env, stack, tier)) } : {}),
        skipPreflight: args.skipPreflight,
        ...(args.onDrift ? { onDrift: args.onDrift } : {}),
        now: env.context.now,
        hooks,
        log,
        exemptionsFor: (tier) => stackConfigAt(env, stack, tier).policyExemptions,
        ...(args.approvePlan ? { approvedPlan: args.approvePlan } : {}),
        acknowledgeChainBreaks: args.acknowledgeAuditBreaks,
    });
    const cwd = env.context.cwd ?? process.cwd();
    const written: Record<string, string> = {};
    if (args.sarif !== undefined) {
        const file = path.resolve(cwd, args.sarif);
        const version = (require(path.join(findRepoRoot(), "package.json")) as { version: string }).version;
        writeFileAtomic(file, JSON.stringify(sarifLog({ summary, stackFile: `Pulumi.${stack}.yaml`, version }), null, 2) + "\n", 0o644);
        written.sarif = file;
    }
    if (args.junit !== undefined) {
        const file = path.resolve(cwd, args.junit);
        writeFileAtomic(file, junitXml(summary, env.context.now?.() ?? new Date()), 0o644);
        written.junit = file;
    }
    const auditLog = path.join(stateDir, "audit", `${stack}.jsonl`);
    if (args.json) {
        io.out(JSON.stringify({ ...summary, stateDir, auditLog, ...written }, null, 2));
    } else {
        for (const caveat of summary.caveats) log(`note: ${caveat}`);
        log(`${summary.ok ? "done" : "stopped"}: ${summary.message}`);
        log(`tier ${tierLabel(summary.startTier)} -> ${tierLabel(summary.finalTier)}; audit log ${auditLog}; exit ${summary.exitCode}`);
        for (const [kind, file] of Object.entries(written)) log(`${kind}: ${file}`);
    }
    // The head to anchor outside the state dir (CI log, job summary, a stack output).
    if (summary.auditHead) io.err(`audit head: ${stack} seq ${summary.auditHead.seq} ${summary.auditHead.hash}`);
    if (!summary.ok) io.err(`error: ${summary.message}`);
    return summary.exitCode;
}
