import * as assert from "assert";
import { nodeCapacityWithinMaxNodes } from "../../../../../policies/resource-limits/rules/aws/nodeCapacityWithinMaxNodes";
import { instanceProps, T } from "../../../support/fixtures";
import { messagesOf, violationsOf } from "../../../support/policyHarness";
import { TAG } from "../../../../../contract/markers";

describe("resource-limits: node-capacity-within-max-nodes", () => {
    const policy = nodeCapacityWithinMaxNodes;
    const general = { type: T.nodeGroup, name: "general", props: { scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 10 }, instanceTypes: ["c5.xlarge"] } };
    const gpu = { type: T.nodeGroup, name: "gpu", props: { scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 3 }, instanceTypes: ["g4dn.xlarge"] } };
    it("is silent at 10 + 3 = 13 nodes", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [general, gpu]), []);
    });
    it("fires on every fleet of a region above 20 (10 + 3 + 8 + 1 = 22), each on its resource, untagged ones in the primary region", async () => {
        const asg = { type: T.asg, name: "workers", props: { minSize: 2, maxSize: 8, desiredCapacity: 2 } };
        const violations = await violationsOf(policy, [general, gpu, asg, { type: T.instance, name: "host", props: instanceProps() }], { defaultRegion: "eu-west-1" });
        assert.deepStrictEqual(violations.map((v) => v.resourceUrn?.split("::").pop()), ["general", "workers", "gpu", "host"]);
        assert.match(violations[1].message, /^workers can scale to 8 node\(s\) in region eu-west-1, where the fleets add up to 22, above maxNodes 20 \(largest: general 10, workers 8/);
        assert.ok(violations.every((v) => !/untagged/.test(v.message)));
    });
    it("names the same region as cost-caps' worst-case-nodes-within-max-nodes for an untagged autoscaling group", async () => {
        const asg = { type: T.asg, name: "p4d-fleet", props: { minSize: 2, maxSize: 25, desiredCapacity: 2 } };
        const [violation] = await violationsOf(policy, [asg]);
        assert.match(violation.message, /in region us-west-2/);
        assert.match(violation.resourceUrn ?? "", /::p4d-fleet$/);
    });
    it("sums per region: 13 nodes in each of two regions stay within 20", async () => {
        const inRegion = (r: typeof general, region: string) => ({ ...r, name: `${r.name}-${region}`, props: { ...r.props, tags: { [TAG.region]: region } } });
        const fleets = ["us-west-2", "eu-west-1"].flatMap((region) => [inRegion(general, region), inRegion(gpu, region)]);
        assert.deepStrictEqual(await messagesOf(policy, fleets), []);
    });
});
