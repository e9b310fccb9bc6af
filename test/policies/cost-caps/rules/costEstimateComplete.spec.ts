import * as assert from "assert";
import { costEstimateComplete } from "../../../../policies/cost-caps/rules/costEstimateComplete";
import { violationsOf } from "../../support/policyHarness";
import { fleet } from "./costRules.fixture";

describe("cost-caps: cost-estimate-complete", () => {
    const policy = costEstimateComplete;
    it("is silent when everything is priced", async () => {
        assert.deepStrictEqual(await violationsOf(policy, fleet()), []);
    });
    it("names each unpriced resource", async () => {
        const violations = await violationsOf(policy, [...fleet(), { type: "aws:sagemaker/endpoint:Endpoint", name: "llm", props: {} }]);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].resourceUrn!, /::llm$/);
        assert.match(violations[0].message, /no price rule/);
    });
});
