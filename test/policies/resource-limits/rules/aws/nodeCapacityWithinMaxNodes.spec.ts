import * as assert from "assert";
import { nodeCapacityWithinMaxNodes } from "../../../../../policies/resource-limits/rules/aws/nodeCapacityWithinMaxNodes";
import { instanceProps, T } from "../../../support/fixtures";
import { messagesOf } from "../../../support/policyHarness";
import { TAG } from "../../../../../components/shared/markers";

describe("resource-limits: node-capacity-within-max-nodes", () => {
    const policy = nodeCapacityWithinMaxNodes;
    const general = { type: T.nodeGroup, name: "general", props: { scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 10 }, instanceTypes: ["c5.xlarge"] } };
    const gpu = { type: T.nodeGroup, name: "gpu", props: { scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 3 }, instanceTypes: ["g4dn.xlarge"] } };
    it("is silent at 10 + 3 = 13 nodes", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [general, gpu]), []);
    });
    it("fires when node groups, ASGs and instances sum above 20 (10 + 3 + 8 + 1 = 22)", async () => {
        const asg = { type: T.asg, name: "workers", props: { minSize: 2, maxSize: 8, desiredCapacity: 2 } };
        const messages = await messagesOf(policy, [general, gpu, asg, { type: T.instance, props: instanceProps() }]);
        assert.match(messages[0], /Region untagged can scale to 22 nodes, above maxNodes 20 \(largest: general 10, workers 8/);
    });
    it("sums per region: 13 nodes in each of two regions stay within 20", async () => {
        const inRegion = (r: typeof general, region: string) => ({ ...r, name: `${r.name}-${region}`, props: { ...r.props, tags: { [TAG.region]: region } } });
        const fleets = ["us-west-2", "eu-west-1"].flatMap((region) => [inRegion(general, region), inRegion(gpu, region)]);
        assert.deepStrictEqual(await messagesOf(policy, fleets), []);
    });
});
