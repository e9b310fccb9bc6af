import * as assert from "assert";
import { TAG } from "../../../../contract/markers";
import { computeResourcesPriced } from "../../../../policies/cost-caps/rules/computeResourcesPriced";
import { messagesOf, violationsOf } from "../../support/policyHarness";
import { fleet } from "./costRules.fixture";

/** An autoscaling group of an instance type the price table does not have, with its launch template. */
function unpricedFleet(maxSize: number) {
    const tags = { Name: "inference", [TAG.component]: "gpu-fleet", [TAG.region]: "us-west-2" };
    return [
        { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "inference-template", props: { instanceType: "p4d.24xlarge", tags } },
        { type: "aws:autoscaling/group:Group", name: "inference", props: { minSize: 1, desiredCapacity: 1, maxSize, launchTemplate: { id: "inference-template-id" }, tags } },
    ];
}

describe("cost-caps: compute-resources-priced", () => {
    const policy = computeResourcesPriced;
    it("is silent when every compute resource is priced", async () => {
        assert.deepStrictEqual(await messagesOf(policy, fleet()), []);
    });
    it("denies an autoscaling group of an unpriced instance type, naming the type and where its price goes", async () => {
        const violations = await violationsOf(policy, [...fleet(), ...unpricedFleet(10)]);
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].resourceUrn ?? "", /::inference$/);
        assert.match(violations[0].message, /EC2 instance type "p4d\.24xlarge" has no price for us-west-2; add "p4d\.24xlarge" to regions\["us-west-2"\]\.ec2Hourly in cost\/prices\.json/);
        assert.match(violations[0].message, /only lower bounds/);
    });
    it("denies a type without a price rule (it could run anything), and leaves an unsized volume to cost-estimate-complete", async () => {
        const unknown = { type: "aws:sagemaker/endpoint:Endpoint", name: "llm", props: {} };
        assert.match((await messagesOf(policy, [...fleet(), unknown]))[0], /aws:sagemaker\/endpoint:Endpoint is not priced \(no price rule/);
        const volume = { type: "aws:ebs/volume:Volume", name: "restored", props: { availabilityZone: "us-west-2a", tags: { [TAG.region]: "us-west-2" } } };
        assert.deepStrictEqual(await messagesOf(policy, [...fleet(), volume]), []);
    });
});
