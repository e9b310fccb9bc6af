import * as assert from "assert";
import { worstCaseHourlyCostWithinLimit } from "../../../../policies/cost-caps/rules/worstCaseHourlyCostWithinLimit";
import { messagesOf } from "../../support/policyHarness";
import { fleet, WORST_MONTHLY } from "./costRules.fixture";

describe("cost-caps: worst-case-hourly-cost-within-limit", () => {
    const policy = worstCaseHourlyCostWithinLimit;
    it("is silent under the seed's $50/hour", async () => {
        assert.deepStrictEqual(await messagesOf(policy, fleet()), []);
    });
    it("fires when the fleet at max size costs more per hour than allowed", async () => {
        // 577.40 / 730 = 0.79 $/h at max 4 nodes
        assert.strictEqual((WORST_MONTHLY / 730).toFixed(2), "0.79");
        assert.match((await messagesOf(policy, fleet(), { maxCostPerHour: 0.5 }))[0], /\$0\.79\/hour, above maxCostPerHour \$0\.50; top cost drivers: general/);
    });
    it("fires at the default $50/hour for an oversized fleet (300 x c5.xlarge alone = 300 x 0.17 = 51.00 $/h)", async () => {
        assert.strictEqual((await messagesOf(policy, fleet(300))).length, 1);
    });
    it("says its figure is a lower bound when resources are not priced", async () => {
        const unpriced = { type: "aws:sagemaker/endpoint:Endpoint", name: "llm", props: {} };
        const [message] = await messagesOf(policy, [...fleet(300), unpriced]);
        assert.match(message, /costs at least \$51\.\d\d\/hour/);
        assert.match(message, /This is a lower bound: 1 resource\(s\) are not priced \(1 possibly compute; aws:sagemaker\/endpoint:Endpoint\)/);
        assert.doesNotMatch((await messagesOf(policy, fleet(300)))[0], /lower bound|at least/);
    });
});
