import * as assert from "assert";
import { kubernetesRolloutSurgeFitsNodePools } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesRolloutSurgeFitsNodePools";
import { messagesOf } from "../../../support/policyHarness";
import { deployment, pools } from "./capacityFixtures";

describe("resource-limits: kubernetes-rollout-surge-fits-node-pools", () => {
    const policy = kubernetesRolloutSurgeFitsNodePools;
    const withStrategy = (spec: ReturnType<typeof deployment>, rollingUpdate: Record<string, unknown>) => {
        (spec.props.spec as any).strategy = { type: "RollingUpdate", rollingUpdate };
        return spec;
    };
    it("fires when the only GPU is held by the running pod and the update surges (the Ollama update on the local clusters)", async () => {
        const ollama = withStrategy(deployment("ollama", 1, { cpu: "1", memory: "2Gi", gpu: 1 }), { maxSurge: 1, maxUnavailable: 0 });
        const [message] = await messagesOf(policy, [ollama], pools(2, 1));
        assert.match(message, /Deployment\/ollama in us-west-2: a rolling update needs 1 surge pod\(s\).*Insufficient nvidia\.com\/gpu.*never finish/);
    });
    it("is silent when the GPU workload replaces its pod first (maxSurge 0)", async () => {
        const ollama = withStrategy(deployment("ollama", 1, { cpu: "1", memory: "2Gi", gpu: 1 }), { maxSurge: 0, maxUnavailable: 1 });
        assert.deepStrictEqual(await messagesOf(policy, [ollama], pools(2, 1)), []);
    });
    it("fires when the general pool is full at the minimum, and is silent with one more node", async () => {
        const api = withStrategy(deployment("api", 3, { cpu: "100m", memory: "2Gi" }), { maxSurge: 1, maxUnavailable: 0 });
        assert.match((await messagesOf(policy, [api], pools(3)))[0], /Insufficient memory/);
        assert.deepStrictEqual(await messagesOf(policy, [api], pools(4)), []);
    });
    it("counts the default maxSurge of 25 % (rounded up) when the strategy says nothing", async () => {
        assert.match((await messagesOf(policy, [deployment("api", 3, { cpu: "100m", memory: "2Gi" })], pools(3)))[0], /needs 1 surge pod/);
    });
});
