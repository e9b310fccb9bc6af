import * as assert from "assert";
import { kubernetesPodsFitNodePools } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesPodsFitNodePools";
import { T } from "../../../support/fixtures";
import { messagesOf, violationsOf } from "../../../support/policyHarness";
import { deployment, hpa, pools } from "./capacityFixtures";

describe("resource-limits: kubernetes-pods-fit-node-pools", () => {
    const policy = kubernetesPodsFitNodePools;
    it("is silent when the pods at their minimum fit the pools", async () => {
        const specs = [deployment("api", 3, { cpu: "500m", memory: "1Gi" }), deployment("web", 2, { cpu: "100m", memory: "512Mi" })];
        assert.deepStrictEqual(await messagesOf(policy, specs, pools(2)), []);
    });
    it("fires on pods that need more memory than the nodes offer, naming the workload, the count and the scheduler's reason", async () => {
        const violations = await violationsOf(policy, [deployment("api", 4, { cpu: "100m", memory: "2Gi" })], pools(2));
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /Deployment\/api in us-west-2: 2 of 4 pod\(s\) at minimum replicas .* \(0\/2 nodes can take it: 2 Insufficient memory\)/);
        assert.match(violations[0].resourceUrn ?? "", /Deployment::api$/);
    });
    it("counts an HPA's minReplicas, not the spec.replicas it overrides", async () => {
        const specs = [deployment("api", undefined, { cpu: "100m", memory: "2Gi" }), hpa("api", 4)];
        assert.match((await messagesOf(policy, specs, pools(2)))[0], /2 of 4 pod/);
        assert.deepStrictEqual(await messagesOf(policy, [deployment("api", undefined, { cpu: "100m", memory: "2Gi" }), hpa("api", 2)], pools(2)), []);
    });
    it("fires on a GPU pod when the GPU pool has no node, and is silent with one", async () => {
        const gpuPod = deployment("ollama", 1, { cpu: "1", memory: "2Gi", gpu: 1 });
        const [message] = await messagesOf(policy, [gpuPod], pools(3, 0));
        assert.match(message, /0\/3 nodes can take it: 3 node\(s\) didn't match Pod's node affinity\/selector/);
        assert.deepStrictEqual(await messagesOf(policy, [gpuPod], pools(3, 1)), []);
    });
    it("counts ephemeral storage: two 30 GiB pods per 44 GiB node do not fit, a 100 GiB root volume holds them", async () => {
        const cache = deployment("cache", 3, { cpu: "100m", memory: "256Mi", ephemeral: "30Gi" });
        const [message] = await messagesOf(policy, [cache], pools(2));
        assert.match(message, /1 of 3 pod\(s\) .*30\.0 GiB ephemeral storage each.*\(0\/2 nodes can take it: 2 Insufficient ephemeral-storage\)/);
        assert.deepStrictEqual(await messagesOf(policy, [cache], pools(2, 0, 100)), []);
    });
    it("applies a hard per-node spread: a small node that is full caps the large one at maxSkew more pods; a soft spread does not", async () => {
        // One c5.xlarge (6.5 GiB for pods) and one t3.medium (3.2 GiB): four 2 GiB members fit by
        // memory (3 + 1), but with DoNotSchedule the large node may hold at most one more than the small one.
        const mixed = {
            nodePools: [
                { name: "large", instanceType: "c5.xlarge", nodes: 1, labels: {}, taints: [] },
                { name: "small", instanceType: "t3.medium", nodes: 1, labels: {}, taints: [] },
            ],
        };
        const quorum = (spread: "DoNotSchedule" | "ScheduleAnyway") => deployment("rabbitmq", 4, { cpu: "100m", memory: "2Gi" }, "StatefulSet", spread);
        const [message] = await messagesOf(policy, [quorum("DoNotSchedule")], mixed);
        assert.match(message, /StatefulSet\/rabbitmq in us-west-2: 1 of 4 pod\(s\) .*\(0\/2 nodes can take it: 1 node\(s\) didn't match pod topology spread constraints, 1 Insufficient memory\)/);
        assert.deepStrictEqual(await messagesOf(policy, [quorum("ScheduleAnyway")], mixed), []);
    });
    it("keeps pods without the GPU toleration off the tainted GPU node", async () => {
        const [message] = await messagesOf(policy, [deployment("api", 3, { cpu: "100m", memory: "2Gi" })], pools(1, 1));
        assert.match(message, /1 node\(s\) had untolerated taint \{nvidia\.com\/gpu: true\}/);
    });
    it("reads the pools from the EKS node groups when the stack declares them", async () => {
        const nodeGroup = { type: T.nodeGroup, name: "general", props: { nodeGroupName: "general", instanceTypes: ["t3.medium"], scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 3 }, labels: {}, taints: [], tags: { "ai-platform:region": "us-west-2" } } };
        const api = deployment("api", 2, { cpu: "100m", memory: "2Gi" });
        assert.match((await messagesOf(policy, [nodeGroup, api], pools(5)))[0], /1 of 2 pod/);
    });
    it("fires when no pool is known, and names an instance type missing from the table", async () => {
        assert.match((await messagesOf(policy, [deployment("api", 1, { cpu: "100m", memory: "1Gi" })], { nodePools: [] }))[0], /no node pools/);
        const unknown = { nodePools: [{ name: "general", instanceType: "p4d.24xlarge", nodes: 2, labels: {}, taints: [] }] };
        assert.match((await messagesOf(policy, [deployment("api", 1, { cpu: "100m", memory: "1Gi" })], unknown))[0], /Cannot size the node pools general \(p4d\.24xlarge\): add the instance types to contract\/instanceTypes\.ts/);
    });
});
