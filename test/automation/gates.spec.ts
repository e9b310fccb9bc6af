import * as assert from "assert";
import { PolicyViolation } from "../../automation/engines/engine";
import { groupViolations, policyVerdict } from "../../automation/promotion/gates";

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
