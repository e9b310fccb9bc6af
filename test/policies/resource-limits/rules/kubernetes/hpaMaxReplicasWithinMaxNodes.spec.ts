import * as assert from "assert";
import { hpaMaxReplicasWithinMaxNodes } from "../../../../../policies/resource-limits/rules/kubernetes/hpaMaxReplicasWithinMaxNodes";
import { T } from "../../../support/fixtures";
import { messagesOf } from "../../../support/policyHarness";

describe("resource-limits: hpa-max-replicas-within-max-nodes", () => {
    const policy = hpaMaxReplicasWithinMaxNodes;
    const hpa = (maxReplicas: number) => ({ type: T.hpa, props: { spec: { minReplicas: 3, maxReplicas, scaleTargetRef: { kind: "Deployment", name: "backend" } } } });
    it("is silent at the seed maximum of 10 replicas with maxNodes 20", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [hpa(10)]), []);
    });
    it("fires above the default maxNodes (50 > 20)", async () => {
        assert.match((await messagesOf(policy, [hpa(50)]))[0], /50, above the stack's maxNodes 20/);
    });
    it("takes maxNodes from config", async () => {
        assert.strictEqual((await messagesOf(policy, [hpa(10)], { maxNodes: 8 })).length, 1);
    });
});
