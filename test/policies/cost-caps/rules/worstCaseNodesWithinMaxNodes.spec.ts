import * as assert from "assert";
import { worstCaseNodesWithinMaxNodes } from "../../../../policies/cost-caps/rules/worstCaseNodesWithinMaxNodes";
import { messagesOf, violationsOf } from "../../support/policyHarness";
import { fleet } from "./costRules.fixture";
import { TAG } from "../../../../contract/markers";

describe("cost-caps: worst-case-nodes-within-max-nodes", () => {
    const policy = worstCaseNodesWithinMaxNodes;
    it("is silent at 4 nodes", async () => {
        assert.deepStrictEqual(await messagesOf(policy, fleet()), []);
    });
    it("fires above the seed's 20 nodes", async () => {
        const [violation] = await violationsOf(policy, fleet(25));
        assert.match(violation.message, /Region us-west-2 can scale to 25 nodes, above maxNodes 20 \(largest fleets: general up to 25\); general contributes up to 25/);
        assert.match(violation.resourceUrn ?? "", /::general$/, "reported on the fleet's resource");
    });
    it("bounds each region's cluster, not the sum over regions (15 + 15 nodes)", async () => {
        const inEurope = fleet(15).map((r) => ({ ...r, name: `${r.name}-eu`, props: { ...r.props, tags: { [TAG.region]: "eu-west-1" } } }));
        assert.deepStrictEqual(await messagesOf(policy, [...fleet(15), ...inEurope]), []);
    });
    it("counts a fleet whose launch template id is unknown in preview (25 nodes, not priced)", async () => {
        const group = {
            type: "aws:autoscaling/group:Group",
            name: "swarm-workers",
            props: { minSize: 2, desiredCapacity: 2, maxSize: 25, launchTemplate: { id: undefined, version: undefined }, tags: [{ key: TAG.region, value: "us-west-2", propagateAtLaunch: true }] },
        };
        assert.match((await messagesOf(policy, [group]))[0], /Region us-west-2 can scale to 25 nodes, above maxNodes 20 \(largest fleets: swarm-workers up to 25\)/);
    });
});
