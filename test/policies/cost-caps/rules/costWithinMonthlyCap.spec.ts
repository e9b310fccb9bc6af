import * as assert from "assert";
import { costWithinMonthlyCap } from "../../../../policies/cost-caps/rules/costWithinMonthlyCap";
import { messagesOf } from "../../support/policyHarness";
import { EXPECTED_MONTHLY, fleet } from "./costRules.fixture";

describe("cost-caps: cost-within-monthly-cap", () => {
    const policy = costWithinMonthlyCap;
    it("is silent under the cap", async () => {
        assert.deepStrictEqual(await messagesOf(policy, fleet(), { monthlyCostCap: 1000 }), []);
    });
    it("fires above the cap and names the top drivers with figures", async () => {
        assert.strictEqual(EXPECTED_MONTHLY.toFixed(2), "325.20");
        const [message] = await messagesOf(policy, fleet(), { monthlyCostCap: 300 });
        assert.match(message, /Expected cost \$325\.20\/month is 108 % of the cap \$300\.00\/month/);
        assert.match(message, /top cost drivers: general \$248\.20\/month, worst case \$496\.40 \(2 \(max 4\) x c5\.xlarge, us-west-2\); eks \$73\.00\/month/);
    });
    it("says its figure is a lower bound when a compute resource is not priced", async () => {
        const unpriced = { type: "aws:autoscaling/group:Group", name: "inference", props: { minSize: 1, desiredCapacity: 1, maxSize: 4, mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: "p4d.24xlarge" }] } } } };
        const [message] = await messagesOf(policy, [...fleet(), unpriced], { monthlyCostCap: 300 });
        assert.match(message, /Expected cost at least \$325\.20\/month is at least 108 % of the cap/);
        assert.match(message, /lower bound: 1 resource\(s\) are not priced \(1 possibly compute; aws:autoscaling\/group:Group\)/);
    });
});
