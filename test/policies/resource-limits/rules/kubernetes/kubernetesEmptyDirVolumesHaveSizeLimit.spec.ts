import * as assert from "assert";
import { kubernetesEmptyDirVolumesHaveSizeLimit } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesEmptyDirVolumesHaveSizeLimit";
import { deploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-empty-dir-volumes-have-size-limit", () => {
    const policy = kubernetesEmptyDirVolumesHaveSizeLimit;
    it("is silent when every emptyDir has a sizeLimit", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires on an emptyDir without a sizeLimit, naming the volume", async () => {
        const props = variant(deploymentProps(), (p) => (p.spec.template.spec.volumes[0].emptyDir = {} as any));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /emptyDir volume tmp has no sizeLimit/);
    });
    it("leaves other volume kinds alone", async () => {
        const props = variant(deploymentProps(), (p) => ((p.spec.template.spec.volumes as any[]).push({ name: "config", configMap: { name: "c" } })));
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props }]), []);
    });
});
