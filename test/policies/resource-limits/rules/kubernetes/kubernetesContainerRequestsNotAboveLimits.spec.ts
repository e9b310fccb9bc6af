import * as assert from "assert";
import { kubernetesContainerRequestsNotAboveLimits } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesContainerRequestsNotAboveLimits";
import { deploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-container-requests-not-above-limits", () => {
    const policy = kubernetesContainerRequestsNotAboveLimits;
    it("is silent when requests are below limits", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires when a memory request exceeds its limit (3Gi > 2Gi)", async () => {
        const props = variant(deploymentProps(), (p) => (p.spec.template.spec.containers[0].resources.requests.memory = "3Gi"));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /requests memory 3Gi, more than its limit 2Gi/);
    });
    it("fires when an ephemeral-storage request exceeds its limit (4Gi > 2Gi)", async () => {
        const props = variant(deploymentProps(), (p) => (p.spec.template.spec.containers[0].resources.requests["ephemeral-storage"] = "4Gi"));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /requests ephemeral-storage 4Gi, more than its limit 2Gi/);
    });
});
