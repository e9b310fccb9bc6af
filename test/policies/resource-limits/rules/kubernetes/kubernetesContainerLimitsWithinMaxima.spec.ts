import * as assert from "assert";
import { kubernetesContainerLimitsWithinMaxima } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesContainerLimitsWithinMaxima";
import { deploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-container-limits-within-maxima", () => {
    const policy = kubernetesContainerLimitsWithinMaxima;
    const limits = (p: any) => p.spec.template.spec.containers[0].resources.limits;
    it("is silent within the default maxima (4 CPU / 8Gi)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires above the default CPU maximum (4500m > 4)", async () => {
        const props = variant(deploymentProps(), (p) => (limits(p).cpu = "4500m"));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /CPU limit 4500m, above the maximum 4/);
    });
    it("compares decimal and binary units (9G > 8Gi, 8G < 8Gi)", async () => {
        const over = variant(deploymentProps(), (p) => (limits(p).memory = "9G"));
        assert.strictEqual((await messagesOf(policy, [{ type: T.deployment, props: over }])).length, 1);
        const under = variant(deploymentProps(), (p) => (limits(p).memory = "8G"));
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: under }]), []);
    });
    it("takes the maxima from policy config", async () => {
        assert.match((await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }], { maxContainerMemory: "1536Mi" }))[0], /memory limit 2Gi, above the maximum 1536Mi/);
    });
});
