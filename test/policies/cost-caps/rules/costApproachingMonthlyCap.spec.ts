import * as assert from "assert";
import { costApproachingMonthlyCap } from "../../../../policies/cost-caps/rules/costApproachingMonthlyCap";
import { messagesOf } from "../../support/policyHarness";
import { fleet } from "./costRules.fixture";

describe("cost-caps: cost-approaching-monthly-cap", () => {
    const policy = costApproachingMonthlyCap;
    it("is silent below 50 % (325.20 of 1000 = 33 %)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, fleet(), { monthlyCostCap: 1000 }), []);
    });
    it("warns at 50 % (325.20 of 600 = 54 %)", async () => {
        assert.match((await messagesOf(policy, fleet(), { monthlyCostCap: 600 }))[0], /reached 50 % of the cap \$600\.00\/month \(54 %\)/);
    });
    it("warns at 80 % (325.20 of 400 = 81 %)", async () => {
        assert.match((await messagesOf(policy, fleet(), { monthlyCostCap: 400 }))[0], /reached 80 %/);
    });
    it("leaves amounts above the cap to cost-within-monthly-cap", async () => {
        assert.deepStrictEqual(await messagesOf(policy, fleet(), { monthlyCostCap: 300 }), []);
    });
});
