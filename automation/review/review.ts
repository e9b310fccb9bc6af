/**
 * Builds the cost-cap review of a promotion from the engines' planned resources, with the one
 * shared cost model (`estimateCost`, the same call and options the cost-caps policy pack makes),
 * and writes it as Markdown, JSON and SVG.
 */
import * as fs from "fs";
import * as path from "path";
import { Tier, TIERS } from "../../contract/catalog";
import { PolicyExemption, StackConfig } from "../../config/config";
import { CostEstimate, CostTotals, estimateCost } from "../../cost";
import { mandatoryViolations } from "../../policies/evaluator";
import { Engine, EngineResult, PlannedResource } from "../engines/engine";
import { applyExemptions } from "../promotion/exemptions";
import { policyVerdict } from "../promotion/gates";
import { planDigest } from "../promotion/planDigest";
import { findRepoRoot } from "../repoRoot";
import { renderMarkdown, renderSvg, usd } from "./render";
import { Breakdown, CostFigures, Review, TierCost, UnpricedResource } from "./types";

/** How many cost drivers the review lists. */
export const TOP_DRIVERS = 10;

export interface ReviewInput {
    stack: string;
    /** Tier the stack stands at now; undefined when it was never deployed. */
    currentTier?: Tier;
    proposedTier: Tier;
    /** Preview of the current tier (omit when the stack is not deployed). */
    current?: EngineResult;
    proposed: EngineResult;
    /** Config of the proposed run: cap, hourly maximum, primary region. */
    stackConfig: StackConfig;
    /** Cost of the stack at each tier, for the chart (see `costPerTier`). */
    tierCosts?: TierCost[];
    /** Time stamp of the report (default: now). */
    generatedAt?: Date;
    /** `--config` overrides of the run: shown in the report, never silently applied. */
    configOverrides?: Record<string, string>;
    /** Exemptions of the stack (applied to the proposed preview's results). */
    exemptions?: PolicyExemption[];
}

/** The cost model on an engine's planned resources, with the stack's primary region as default. */
export function estimateResources(resources: PlannedResource[], stackConfig: StackConfig): CostEstimate {
    return estimateCost(
        resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props })),
        { defaultRegion: stackConfig.regions.primary },
    );
}

function figures(estimate: CostEstimate, resourceCount: number): CostFigures {
    return {
        monthlyExpected: estimate.monthlyExpected,
        monthlyWorstCase: estimate.monthlyWorstCase,
        hourlyExpected: estimate.hourlyExpected,
        hourlyWorstCase: estimate.hourlyWorstCase,
        resourceCount,
    };
}

function breakdown(current: Record<string, CostTotals> | undefined, proposed: Record<string, CostTotals>): Breakdown[] {
    const keys = new Set([...Object.keys(current ?? {}), ...Object.keys(proposed)]);
    return [...keys]
        .map((key) => {
            const c = current?.[key]?.monthlyExpected ?? 0;
            const p = proposed[key]?.monthlyExpected ?? 0;
            return { key, current: c, proposed: p, delta: p - c };
        })
        .sort((a, b) => b.proposed - a.proposed || b.current - a.current || a.key.localeCompare(b.key));
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

function listed(items: Array<{ urn: string; type: string; reason: string }>): UnpricedResource[] {
    return items.map((u) => ({ name: nameOf(u.urn), type: u.type, reason: u.reason }));
}

export function buildReview(input: ReviewInput): Review {
    const { stackConfig, current } = input;
    const exemptionOutcome = applyExemptions(input.proposed.policyViolations, input.exemptions ?? stackConfig.policyExemptions ?? [], input.generatedAt ?? new Date());
    const proposed = { ...input.proposed, policyViolations: exemptionOutcome.violations };
    const proposedEstimate = estimateResources(proposed.resources, stackConfig);
    const currentEstimate = current ? estimateResources(current.resources, stackConfig) : undefined;
    const cap = { monthly: stackConfig.cost.monthlyCap, hourly: stackConfig.cost.maxCostPerHour };
    const policy = policyVerdict(proposed.policyViolations);
    const mandatory = mandatoryViolations(proposed.policyViolations);
    const advisory = proposed.policyViolations.filter((v) => v.enforcementLevel === "advisory" && v.exemption?.status !== "active");
    const exempted = proposed.policyViolations.filter((v) => v.exemption?.status === "active");
    const p = figures(proposedEstimate, proposed.resources.length);

    let verdict: Review["verdict"];
    let verdictReason: string;
    if (!proposed.ok) {
        verdict = "engine-failed";
        verdictReason = `The preview failed: ${proposed.error ?? "unknown error"}`;
    } else if (policy.verdict !== "passed") {
        // Only cost-caps violations: over cap, as the promotion's gates say (see policyVerdict).
        verdict = policy.verdict === "over-cap" ? "over-cap" : "policy-denied";
        verdictReason = `${policy.message}.`;
    } else if (p.monthlyExpected > cap.monthly) {
        verdict = "over-cap";
        verdictReason = `Expected monthly cost exceeds the cap by ${(p.monthlyExpected - cap.monthly).toFixed(2)} USD.`;
    } else if (p.hourlyWorstCase > cap.hourly) {
        verdict = "over-cap";
        verdictReason = `At full scale the stack costs ${p.hourlyWorstCase.toFixed(2)} USD/hour, above the ${cap.hourly.toFixed(2)} USD/hour maximum.`;
    } else {
        verdict = "within-cap";
        verdictReason = `Worst case ${p.hourlyWorstCase.toFixed(2)} USD/hour stays within the ${cap.hourly.toFixed(2)} USD/hour maximum.`;
    }

    return {
        stack: input.stack,
        currentTier: input.currentTier,
        proposedTier: input.proposedTier,
        engine: proposed.engine,
        generatedAt: (input.generatedAt ?? new Date()).toISOString(),
        cap,
        current: currentEstimate && current ? figures(currentEstimate, current.resources.length) : undefined,
        proposed: p,
        delta: {
            monthlyExpected: p.monthlyExpected - (currentEstimate?.monthlyExpected ?? 0),
            monthlyWorstCase: p.monthlyWorstCase - (currentEstimate?.monthlyWorstCase ?? 0),
        },
        capUtilisation: { expected: p.monthlyExpected / cap.monthly, worstCase: p.monthlyWorstCase / cap.monthly },
        byRegion: breakdown(currentEstimate?.byRegion, proposedEstimate.byRegion),
        byComponent: breakdown(currentEstimate?.byComponent, proposedEstimate.byComponent),
        topDrivers: proposedEstimate.topDrivers(TOP_DRIVERS).map((line) => ({
            name: line.name,
            type: line.type,
            region: line.region,
            component: line.component,
            monthly: line.monthly,
            detail: line.detail,
        })),
        unpriced: listed(proposedEstimate.unpriced),
        usageBased: listed(proposedEstimate.usageBased),
        policy: { mandatory, advisory, exempted },
        verdict,
        verdictReason,
        warnings: worstCaseWarnings(proposed.ok, p, cap.monthly),
        caveats: [...new Set([...(current?.caveats ?? []), ...proposed.caveats])],
        tierCosts: input.tierCosts,
        policyEnforcement: stackConfig.policyEnforcement,
        planDigest: proposed.planDigest ?? planDigest(proposed.resources),
        ...(exemptionOutcome.stale.length ? { staleExemptions: exemptionOutcome.stale.map((e) => ({ policy: e.policy, resource: e.resource, approver: e.approver, expires: e.expires })) } : {}),
        ...(input.configOverrides && Object.keys(input.configOverrides).length ? { configOverrides: input.configOverrides } : {}),
    };
}

/**
 * A worst case (every autoscaler at its maximum) above the monthly cap while the expected cost
 * is within it. Not a verdict: the cap gate holds the expected cost against the cap (the worst
 * case is held per hour against maxCostPerHour), but the reviewer should see that a busy month
 * can cross the cap.
 */
function worstCaseWarnings(previewOk: boolean, p: CostFigures, monthlyCap: number): string[] {
    if (!previewOk || p.monthlyExpected > monthlyCap || p.monthlyWorstCase <= monthlyCap) return [];
    return [`worst case ${usd(p.monthlyWorstCase)}/month (autoscaling at maximum) is above the ${usd(monthlyCap)} monthly cap`];
}

/**
 * Monthly cost of the stack at each tier (a preview per tier; the offline engine makes this
 * cheap). Tiers whose preview fails are left out of the result.
 */
export async function costPerTier(
    engine: Engine,
    stack: string,
    stackConfig: StackConfig,
    configOverrides?: Record<string, string>,
    tiers: readonly Tier[] = TIERS,
): Promise<TierCost[]> {
    const result: TierCost[] = [];
    for (const tier of tiers) {
        try {
            const preview = await engine.preview({ stack, tier, configOverrides });
            if (!preview.ok) continue;
            const estimate = estimateResources(preview.resources, stackConfig);
            result.push({ tier, monthlyExpected: estimate.monthlyExpected, monthlyWorstCase: estimate.monthlyWorstCase });
        } catch {
            // A tier the stack's config cannot express (e.g. tier 3 without secondary regions).
            continue;
        }
    }
    return result;
}

export interface ReviewFiles {
    markdown: string;
    json: string;
    svg: string;
}

/** Writes `<outDir>/<stack>-tier<N>.md|.json|.svg` (default outDir: `<repo>/reports`). */
export function writeReview(review: Review, outDir: string = path.join(findRepoRoot(), "reports")): ReviewFiles {
    fs.mkdirSync(outDir, { recursive: true });
    const base = path.join(outDir, `${review.stack}-tier${review.proposedTier}`);
    const files: ReviewFiles = { markdown: `${base}.md`, json: `${base}.json`, svg: `${base}.svg` };
    fs.writeFileSync(files.svg, renderSvg(review));
    fs.writeFileSync(files.markdown, renderMarkdown(review, path.basename(files.svg)));
    fs.writeFileSync(files.json, JSON.stringify(review, null, 2) + "\n");
    return files;
}

/** What the target's preflight and verification found, as the step's audit line records it. */
export interface TargetChecks {
    preflight?: { ok: boolean; problems: string[] };
    verification?: { ok: boolean; problems: string[] };
}

/**
 * Adds the step's target checks (Kubernetes preflight and verification) to a review written
 * before `up`: a section at the end of the Markdown, a `target` field in the JSON.
 */
export function appendTargetChecks(markdownFile: string, checks: TargetChecks): void {
    const lines = ["", "## Target checks", ""];
    for (const [name, report] of [["Preflight (before up)", checks.preflight], ["Verification (after up)", checks.verification]] as const) {
        if (!report) continue;
        lines.push(`**${name}: ${report.ok ? "passed" : "FAILED"}**`, "");
        for (const problem of report.problems) lines.push(`- ${problem}`);
        if (report.problems.length) lines.push("");
    }
    fs.appendFileSync(markdownFile, lines.join("\n") + "\n");
    const jsonFile = markdownFile.replace(/\.md$/, ".json");
    if (jsonFile !== markdownFile && fs.existsSync(jsonFile)) {
        const review = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as Record<string, unknown>;
        fs.writeFileSync(jsonFile, JSON.stringify({ ...review, target: checks }, null, 2) + "\n");
    }
}
