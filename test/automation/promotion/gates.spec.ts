import * as assert from "assert";
import { PolicyViolation } from "../../../automation/engines/engine";
import { costLineOf, costVersusCaps, groupViolations, policyVerdict } from "../../../automation/promotion/gates";

function violation(pack: string, policy: string, resource?: string, level: PolicyViolation["enforcementLevel"] = "mandatory"): PolicyViolation {
    return {
        policyName: policy,
        policyPackName: pack,
        enforcementLevel: level,
        message: "m",
        ...(resource ? { resourceUrn: `urn:pulumi:dev::ai-platform::kubernetes:apps/v1:Deployment::${resource}` } : {}),
    };
}

describe("policy gate message", () => {
    it("groups a denial per policy, most frequent first, with a count and the first 3 resource names", () => {
        const limits = ["api", "worker", "inference", "gateway", "scheduler"].map((r) => violation("resource-limits", "require-limits", r));
        const tags = ["bucket-a", "bucket-b"].map((r) => violation("tagging", "require-cost-tags", r));
        const verdict = policyVerdict([tags[0], ...limits, tags[1], violation("security", "no-public-db", "db")]);
        assert.ok(verdict.verdict === "denied", JSON.stringify(verdict));
        assert.strictEqual(
            verdict.message,
            "8 mandatory policy violation(s): resource-limits/require-limits x 5 (api, worker, inference, ...), " +
                "tagging/require-cost-tags x 2 (bucket-a, bucket-b), security/no-public-db (db)",
        );
        assert.strictEqual((verdict.message.match(/require-limits/g) ?? []).length, 1, "the policy is named once");
    });

    it("names each resource once, leaves out advisory results and names no resource for stack-level results", () => {
        const list = groupViolations([violation("cost-caps", "cost-within-monthly-cap"), violation("cost-caps", "cost-within-monthly-cap")]);
        assert.strictEqual(list, "cost-caps/cost-within-monthly-cap x 2");
        assert.strictEqual(groupViolations([violation("p", "r", "same"), violation("p", "r", "same")]), "p/r x 2 (same)");
        const verdict = policyVerdict([violation("p", "r", "a"), violation("p", "advice", "b", "advisory"), violation("p", "advice", "c", "advisory")]);
        assert.ok(verdict.verdict === "denied" && verdict.message === "1 mandatory policy violation(s): p/r (a)", JSON.stringify(verdict));
    });

    it("keeps the over-cap verdict for cost-caps-only violations, grouped the same way", () => {
        const verdict = policyVerdict([violation("cost-caps", "cost-within-monthly-cap", "stack-a"), violation("cost-caps", "cost-within-monthly-cap", "stack-b")]);
        assert.ok(verdict.verdict === "over-cap", JSON.stringify(verdict));
        assert.strictEqual(verdict.message, "over cap: 2 mandatory cost-caps violation(s): cost-caps/cost-within-monthly-cap x 2 (stack-a, stack-b)");
    });
});

describe("cost gate line", () => {
    const caps = { monthlyCap: 2500, maxCostPerHour: 50 };
    it("says the figures are lower bounds when resources are not priced, and nothing when all are", () => {
        const partial = costVersusCaps({ monthlyExpected: 700, monthlyWorstCase: 2000, hourlyWorstCase: 2.74, unpriced: 2 }, caps);
        assert.strictEqual(costLineOf(partial), "$700.00/month expected of cap $2500.00 (28.0 %), worst case $2.74/hour of $50.00 (lower bounds: 2 resource(s) not priced)");
        const complete = costVersusCaps({ monthlyExpected: 700, monthlyWorstCase: 2000, hourlyWorstCase: 2.74, unpriced: 0 }, caps);
        assert.strictEqual(complete.unpriced, undefined);
        assert.doesNotMatch(costLineOf(complete), /lower bound/);
    });
});
