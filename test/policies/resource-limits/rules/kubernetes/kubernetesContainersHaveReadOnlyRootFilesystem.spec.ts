import * as assert from "assert";
import { kubernetesContainersHaveReadOnlyRootFilesystem } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesContainersHaveReadOnlyRootFilesystem";
import { container, deploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-containers-have-read-only-root-filesystem", () => {
    const policy = kubernetesContainersHaveReadOnlyRootFilesystem;
    it("is silent on a Deployment whose container has a read-only root and an emptyDir for /tmp", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires on a container whose root filesystem is writable", async () => {
        const props = variant(deploymentProps(), (p) => (p.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false));
        const [message] = await messagesOf(policy, [{ type: T.deployment, props }]);
        assert.match(message, /Container backend does not set securityContext\.readOnlyRootFilesystem: true: .*emptyDir with a sizeLimit/);
    });
    it("fires on an init container without a security context", async () => {
        const props = variant(deploymentProps(), (p) => ((p.spec.template.spec as any).initContainers = [{ name: "migrate", image: "x" }]));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /Init container migrate/);
    });
    it("reads Pod specs too", async () => {
        const writable = { ...container(), securityContext: { runAsNonRoot: true } };
        assert.strictEqual((await messagesOf(policy, [{ type: T.pod, props: { spec: { containers: [writable, container()] } } }])).length, 1);
    });
});
