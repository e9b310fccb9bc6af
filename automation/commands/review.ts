/**
 * Cost-cap review reports, built by review/ from engine previews:
 * - `review --stack S --to N [--out DIR]`: current tier vs tier N, with the cost of every tier
 *   for the chart; exit code from the verdict (0 within cap, 3 policy denied, 4 over cap, 6 preview failed).
 * - during `promote`, one report per step (hook after the policy gate) into `<state-dir>/reports/<stack>/`,
 *   reusing the step's previews (the previous step's proposal is the next step's current).
 */
import * as path from "path";
import { Tier, TIERS } from "../../contract/catalog";
import type { CommandEnv } from "./context";
import { environmentOf, stackConfigAt } from "./context";
import { Engine, EngineResult } from "../engines/engine";
import { DriverError, ExitCode } from "../exitCodes";
import { buildReview, estimateResources, TierCost, Verdict, writeReview } from "../review";
import { StateStore } from "../state/stackState";
import type { PromotionHooks } from "../promotion/types";

export const VERDICT_EXIT: Record<Verdict, ExitCode> = {
    "within-cap": ExitCode.Success,
    "policy-denied": ExitCode.PolicyViolation,
    "over-cap": ExitCode.OverCap,
    "engine-failed": ExitCode.EngineFailure,
};

export function reportsDir(stateDir: string, stack: string): string {
    return path.join(stateDir, "reports", stack);
}

export async function runReview(env: CommandEnv & { stack: string; to: Tier }): Promise<number> {
    const { stack, to, args, io } = env;
    const log = args.json ? io.err : io.out;
    const stackConfig = stackConfigAt(env, stack, to);
    const environment = environmentOf(env, stack);
    if (env.config.mandatoryEnforcementFor.includes(environment) && stackConfig.policyEnforcement !== "mandatory") {
        throw new DriverError(
            ExitCode.BadInput,
            `environment ${environment} requires mandatory policy enforcement (driver config mandatoryEnforcementFor); ` +
                `${args.config.policyEnforcement !== undefined ? `--config policyEnforcement=${args.config.policyEnforcement}` : `policyEnforcement in Pulumi.${stack}.yaml`} would lower it: refused`,
        );
    }
    const engine = env.makeEngine();
    const overrides = Object.keys(args.config).length ? args.config : undefined;
    const currentTier = new StateStore(env.stateDir).read(stack).tier ?? undefined;
    const onOutput = (line: string) => log(`  ${line}`);
    log(`review ${stack}: tier ${currentTier ?? "none"} -> ${to} (${engine.name} engine); previewing every tier for the chart`);
    const previews = new Map<Tier, EngineResult>();
    for (const tier of TIERS) {
        // Tiers whose config is invalid for this stack (e.g. tier 3 with one region) stay out of the chart.
        if (tier !== to && tier !== currentTier) {
            try {
                stackConfigAt(env, stack, tier);
            } catch {
                continue;
            }
        }
        previews.set(tier, await engine.preview({ stack, tier, configOverrides: overrides, onOutput }));
    }
    const review = buildReview({
        stack,
        currentTier,
        proposedTier: to,
        current: currentTier !== undefined ? previews.get(currentTier) : undefined,
        proposed: previews.get(to)!,
        stackConfig,
        tierCosts: tierCostsOf(previews, stackConfig),
        configOverrides: overrides,
    });
    const files = writeReview(review, path.resolve(env.context.cwd ?? process.cwd(), args.out ?? reportsDir(env.stateDir, stack)));
    const exitCode = VERDICT_EXIT[review.verdict];
    if (args.json) io.out(JSON.stringify({ stack, currentTier: currentTier ?? null, proposedTier: to, verdict: review.verdict, verdictReason: review.verdictReason, planDigest: review.planDigest, warnings: review.warnings, exitCode, files }, null, 2));
    else {
        log(`verdict: ${review.verdict} - ${review.verdictReason}`);
        log(`plan: ${review.planDigest} (approve exactly this plan with promote --stack ${stack} --to ${to} --approve-plan ${review.planDigest})`);
        for (const warning of review.warnings) log(`warning: ${warning}`);
        log(`report: ${files.markdown}`);
        log(`        ${files.json}`);
        log(`        ${files.svg}`);
    }
    return exitCode;
}

function tierCostsOf(previews: Map<Tier, EngineResult>, stackConfig: Parameters<typeof estimateResources>[1]): TierCost[] {
    const costs: TierCost[] = [];
    for (const [tier, preview] of [...previews].sort(([a], [b]) => a - b)) {
        if (!preview.ok) continue;
        const estimate = estimateResources(preview.resources, stackConfig);
        costs.push({ tier, monthlyExpected: estimate.monthlyExpected, monthlyWorstCase: estimate.monthlyWorstCase });
    }
    return costs;
}

/** The per-step review of `promote`: current = the stack's tier before the step (previewed once), proposed = the step's preview. */
export function reviewHook(env: CommandEnv, engine: Engine, stack: string): PromotionHooks["afterPreview"] {
    const previews = new Map<Tier, EngineResult>();
    const overrides = Object.keys(env.args.config).length ? env.args.config : undefined;
    return async (step, preview) => {
        previews.set(step.to, preview);
        const stackConfig = stackConfigAt(env, stack, step.to);
        let current: EngineResult | undefined;
        if (step.from !== null) {
            current = previews.get(step.from) ?? (await engine.preview({ stack, tier: step.from, configOverrides: overrides }));
            previews.set(step.from, current);
        }
        const review = buildReview({
            stack,
            currentTier: step.from ?? undefined,
            proposedTier: step.to,
            current,
            proposed: preview,
            stackConfig,
            tierCosts: tierCostsOf(previews, stackConfig),
            configOverrides: overrides,
        });
        return writeReview(review, reportsDir(env.stateDir, stack)).markdown;
    };
}
