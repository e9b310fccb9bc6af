import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Tier } from "../../../contract/catalog";
import { parseStackConfig, StackConfig } from "../../../config/config";
import { estimateCost } from "../../../cost";
import { TAG } from "../../../contract/markers";
import { Engine, EngineRequest, EngineResult, PlannedResource, PolicyViolation } from "../../../automation/engines/engine";
import { OfflineEngine } from "../../../automation/engines/offline/offlineEngine";
import { buildReview, costPerTier, renderMarkdown, renderSvg, writeReview } from "../../../automation/review";
import { usd } from "../../../automation/review/render";
import { ExitCode } from "../../../automation/exitCodes";
import { VERDICT_EXIT } from "../../../automation/commands/review";
import { findRepoRoot } from "../../../automation/repoRoot";
import { checkWellFormedXml } from "./xmlCheck";

const REPO_ROOT = findRepoRoot(__dirname);

function instance(name: string, instanceType: string, region = "us-west-2", component = "app"): PlannedResource {
    return {
        urn: `urn:pulumi:dev::ai-platform::aws:ec2/instance:Instance::${name}`,
        type: "aws:ec2/instance:Instance",
        name,
        props: { instanceType, tags: { [TAG.region]: region, [TAG.component]: component } },
    };
}

function result(tier: Tier, resources: PlannedResource[], policyViolations: PolicyViolation[] = [], ok = true): EngineResult {
    return { engine: "offline", stack: "dev", tier, ok, resources, policyViolations, outputs: {}, secretOutputs: [], caveats: ["OFFLINE ENGINE: test"], durationMs: 1, error: ok ? undefined : "boom" };
}

function config(overrides: Record<string, string> = {}): StackConfig {
    return parseStackConfig({ environment: "dev", domain: "dev.ai.example.com", monthlyCostCap: "1000", ...overrides }, "ai-platform", "dev", REPO_ROOT);
}

const mandatory: PolicyViolation = { policyName: "require-limits", policyPackName: "resource-limits", enforcementLevel: "mandatory", message: "add limits" };

describe("cost-cap review", () => {
    const current = result(1, [instance("a", "t3.medium")]);
    const proposed = result(2, [instance("a", "t3.medium"), instance("b", "m5.large", "eu-west-1", "db"), instance("c", "t3.large")]);

    it("takes every figure from estimateCost on the same resources", () => {
        const review = buildReview({ stack: "dev", currentTier: 1, proposedTier: 2, current, proposed, stackConfig: config() });
        const expected = estimateCost(proposed.resources, { defaultRegion: "us-west-2" });
        const before = estimateCost(current.resources, { defaultRegion: "us-west-2" });
        assert.ok(expected.monthlyExpected > 0);
        assert.strictEqual(review.proposed.monthlyExpected, expected.monthlyExpected);
        assert.strictEqual(review.proposed.monthlyWorstCase, expected.monthlyWorstCase);
        assert.strictEqual(review.proposed.hourlyWorstCase, expected.hourlyWorstCase);
        assert.strictEqual(review.current!.monthlyExpected, before.monthlyExpected);
        assert.strictEqual(review.delta.monthlyExpected, expected.monthlyExpected - before.monthlyExpected);
        assert.strictEqual(review.capUtilisation.expected, expected.monthlyExpected / 1000);
        for (const row of review.byRegion) {
            assert.strictEqual(row.proposed, expected.byRegion[row.key]?.monthlyExpected ?? 0, row.key);
        }
        assert.deepStrictEqual(review.byRegion.map((r) => r.key).sort(), Object.keys(expected.byRegion).sort());
        assert.deepStrictEqual(review.byComponent.map((r) => r.key).sort(), Object.keys(expected.byComponent).sort());
        assert.deepStrictEqual(review.topDrivers.map((d) => d.monthly), expected.topDrivers(10).map((l) => l.monthly));
        assert.strictEqual(review.verdict, "within-cap");
        assert.deepStrictEqual(review.warnings, [], "worst case within the cap: no warning");
    });

    it("verdicts: over cap (monthly), over cap (hourly maximum), policy denied, preview failed", () => {
        const stackConfig = config({ monthlyCostCap: "10" });
        assert.strictEqual(buildReview({ stack: "dev", proposedTier: 2, proposed, stackConfig }).verdict, "over-cap");
        const hourly = config({ maxCostPerHour: "0.05" });
        const hourlyReview = buildReview({ stack: "dev", proposedTier: 2, proposed, stackConfig: hourly });
        assert.strictEqual(hourlyReview.verdict, "over-cap");
        assert.match(hourlyReview.verdictReason, /USD\/hour/);
        assert.strictEqual(buildReview({ stack: "dev", proposedTier: 2, proposed: result(2, proposed.resources, [mandatory]), stackConfig: config() }).verdict, "policy-denied");
        assert.strictEqual(buildReview({ stack: "dev", proposedTier: 2, proposed: result(2, [], [], false), stackConfig: config() }).verdict, "engine-failed");
    });

    it("verdict over cap when every mandatory violation is the cost-caps pack's (prod makes that pack mandatory)", () => {
        const capRule: PolicyViolation = { policyName: "cost-within-monthly-cap", policyPackName: "cost-caps", enforcementLevel: "mandatory", message: "over the cap" };
        const capOnly = buildReview({ stack: "prod", proposedTier: 2, proposed: result(2, proposed.resources, [capRule]), stackConfig: config() });
        assert.strictEqual(capOnly.verdict, "over-cap");
        assert.match(capOnly.verdictReason, /cost-caps\/cost-within-monthly-cap/);
        const mixed = buildReview({ stack: "prod", proposedTier: 2, proposed: result(2, proposed.resources, [capRule, mandatory]), stackConfig: config() });
        assert.strictEqual(mixed.verdict, "policy-denied");
    });

    it("Markdown reads as a PR comment: title, verdict line with the cap, summary table, collapsed details", () => {
        const review = buildReview({ stack: "dev", currentTier: 1, proposedTier: 2, current, proposed, stackConfig: config({ monthlyCostCap: "10" }) });
        const md = renderMarkdown(review, "dev-tier2.svg");
        assert.match(md, /^## Cost-cap review: `dev` tier 1 → tier 2/);
        assert.match(md, /over cap\*\* — \$[\d,.]+\/month expected, [\d.]+ % of the \$10\.00 monthly cap/);
        assert.match(md, /\| Monthly, expected \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$[\d,.]+ \|/);
        assert.match(md, /<details>\n<summary>Cost per region \(2\)<\/summary>/);
        assert.match(md, /<summary>Top 3 cost drivers<\/summary>/);
        assert.match(md, /dev-tier2\.svg/);
        assert.strictEqual((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length);
    });

    it("marks the proposed figures as lower bounds when a resource is not priced", () => {
        const withUnpriced = result(2, [...proposed.resources, instance("p4d", "p4d.24xlarge")]);
        const md = renderMarkdown(buildReview({ stack: "dev", currentTier: 1, proposedTier: 2, current, proposed: withUnpriced, stackConfig: config() }));
        assert.match(md, /\| Monthly, expected \| \$[\d,.]+ \| \$[\d,.]+ \(lower bound\) \|/);
        assert.match(md, /\| Hourly, expected \/ worst case \| .* \(lower bound\) \| \|/);
        assert.doesNotMatch(renderMarkdown(buildReview({ stack: "dev", currentTier: 1, proposedTier: 2, current, proposed, stackConfig: config() })), /lower bound/);
    });

    it("warns (without changing the verdict or exit code) when the worst case is above the monthly cap but the expected cost is within it", () => {
        const nodeGroup: PlannedResource = {
            urn: "urn:pulumi:dev::ai-platform::aws:eks/nodeGroup:NodeGroup::general",
            type: "aws:eks/nodeGroup:NodeGroup",
            name: "general",
            props: { instanceTypes: ["m5.large"], scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 30 }, tags: { [TAG.region]: "us-west-2", [TAG.component]: "eks" } },
        };
        const bursty = result(2, [nodeGroup]);
        const stackConfig = config({ monthlyCostCap: "1000", maxCostPerHour: "50" });
        const estimate = estimateCost(bursty.resources, { defaultRegion: "us-west-2" });
        assert.ok(estimate.monthlyExpected <= 1000 && estimate.monthlyWorstCase > 1000, `fixture: ${estimate.monthlyExpected} / ${estimate.monthlyWorstCase}`);

        const review = buildReview({ stack: "dev", proposedTier: 2, proposed: bursty, stackConfig });
        assert.strictEqual(review.verdict, "within-cap");
        assert.strictEqual(VERDICT_EXIT[review.verdict], ExitCode.Success);
        assert.strictEqual(review.warnings.length, 1);
        assert.match(review.warnings[0], /^worst case \$[\d,]+\.\d\d\/month \(autoscaling at maximum\) is above the \$1,000\.00 monthly cap$/);
        assert.ok(review.warnings[0].includes(usd(estimate.monthlyWorstCase)), review.warnings[0]);
        const verdictLine = renderMarkdown(review).split("\n").find((l) => l.includes("within cap"))!;
        assert.match(verdictLine, /✅ \*\*within cap\*\* — .* ⚠️ worst case \$[\d,.]+\/month \(autoscaling at maximum\) is above the \$1,000\.00 monthly cap\.$/);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-review-"));
        try {
            const json = JSON.parse(fs.readFileSync(writeReview(review, dir).json, "utf8"));
            assert.deepStrictEqual(json.warnings, review.warnings);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }

        // No warning when the worst case fits under the cap, nor when the expected cost is over it (the verdict says so already).
        const roomy = buildReview({ stack: "dev", proposedTier: 2, proposed: bursty, stackConfig: config({ monthlyCostCap: "100000", maxCostPerHour: "500" }) });
        assert.deepStrictEqual([roomy.verdict, roomy.warnings], ["within-cap", []]);
        assert.doesNotMatch(renderMarkdown(roomy), /⚠️/);
        const over = buildReview({ stack: "dev", proposedTier: 2, proposed: bursty, stackConfig: config({ monthlyCostCap: "10", maxCostPerHour: "50" }) });
        assert.deepStrictEqual([over.verdict, over.warnings], ["over-cap", []]);
    });

    it("the SVG is well-formed XML with a bar per tier and the cap line", () => {
        const tierCosts = [0, 1, 2, 3].map((tier) => ({ tier: tier as Tier, monthlyExpected: 100 * (tier + 1), monthlyWorstCase: 150 * (tier + 1) }));
        const svg = renderSvg(buildReview({ stack: "d<e>v&", proposedTier: 2, proposed, stackConfig: config(), tierCosts }));
        checkWellFormedXml(svg);
        assert.strictEqual((svg.match(/>tier \d</g) ?? []).length, 4);
        assert.match(svg, /stroke-dasharray/);
        assert.match(svg, /d&lt;e&gt;v&amp;/);
        assert.throws(() => checkWellFormedXml("<svg><g></svg>"), /closes/);
    });

    it("writeReview writes .md, .json and .svg named after the stack and tier", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-review-"));
        try {
            const review = buildReview({ stack: "dev", currentTier: 1, proposedTier: 2, current, proposed, stackConfig: config() });
            const files = writeReview(review, dir);
            assert.deepStrictEqual(Object.values(files).map((f) => path.basename(f)).sort(), ["dev-tier2.json", "dev-tier2.md", "dev-tier2.svg"]);
            const json = JSON.parse(fs.readFileSync(files.json, "utf8"));
            assert.strictEqual(json.proposed.monthlyExpected, review.proposed.monthlyExpected);
            checkWellFormedXml(fs.readFileSync(files.svg, "utf8"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("costPerTier previews each tier and skips tiers whose preview fails", async () => {
        const seen: number[] = [];
        const engine = {
            name: "offline",
            async preview(request: EngineRequest) {
                seen.push(request.tier);
                if (request.tier === 3) throw new Error("tier 3 needs secondary regions");
                return result(request.tier, [instance("a", "t3.medium"), ...(request.tier >= 2 ? [instance("b", "m5.large")] : [])], [], request.tier !== 1);
            },
        } as unknown as Engine;
        const costs = await costPerTier(engine, "dev", config());
        assert.deepStrictEqual(seen, [0, 1, 2, 3]);
        assert.deepStrictEqual(costs.map((c) => c.tier), [0, 2]);
        assert.ok(costs[1].monthlyExpected > costs[0].monthlyExpected);
    });
});

describe("cost-cap review on the offline engine (real program)", function () {
    this.timeout(300_000);

    it("figures equal the cost model on the previewed resources; no secret in the report", async () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-review-offline-"));
        try {
            const engine = new OfflineEngine({ projectDir: REPO_ROOT, stateDir });
            const current = await engine.preview({ stack: "dev", tier: 1 });
            const proposed = await engine.up({ stack: "dev", tier: 2 });
            assert.ok(current.ok && proposed.ok, current.error ?? proposed.error);
            const stackConfig = engine.stackConfig({ stack: "dev", tier: 2 });
            const review = buildReview({ stack: "dev", currentTier: 1, proposedTier: 2, current, proposed, stackConfig });
            const expected = estimateCost(proposed.resources, { defaultRegion: stackConfig.regions.primary });
            assert.strictEqual(review.proposed.monthlyExpected, expected.monthlyExpected);
            assert.strictEqual(review.unpriced.length, expected.unpriced.length);
            assert.ok(review.caveats.some((c) => /OFFLINE/.test(c)));
            const files = writeReview(review, stateDir);
            const seed = await engine.otpSeed("dev");
            if (seed) {
                for (const file of Object.values(files)) {
                    assert.ok(!fs.readFileSync(file, "utf8").includes(seed), `${file} must not contain the OTP seed`);
                }
            }
        } finally {
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
    });
});
