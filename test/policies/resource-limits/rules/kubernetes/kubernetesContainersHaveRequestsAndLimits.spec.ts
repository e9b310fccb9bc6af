import * as assert from "assert";
import { kubernetesContainersHaveRequestsAndLimits } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesContainersHaveRequestsAndLimits";
import { container, deploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-containers-have-requests-and-limits", () => {
    const policy = kubernetesContainersHaveRequestsAndLimits;
    it("is silent on a Deployment whose containers set all six figures", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires on a container without limits", async () => {
        const props = variant(deploymentProps(), (p) => delete (p.spec.template.spec.containers[0].resources as any).limits);
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /Container backend has no resources\.limits\.cpu, resources\.limits\.memory/);
    });
    it("fires on a container without ephemeral-storage request and limit", async () => {
        const props = variant(deploymentProps(), (p) => {
            const resources: any = p.spec.template.spec.containers[0].resources;
            delete resources.requests["ephemeral-storage"];
            delete resources.limits["ephemeral-storage"];
        });
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /Container backend has no resources\.requests\.ephemeral-storage, resources\.limits\.ephemeral-storage/);
    });
    it("fires on an init container without requests", async () => {
        const props = variant(deploymentProps(), (p) => ((p.spec.template.spec as any).initContainers = [{ name: "migrate", image: "x", resources: { limits: { cpu: "1", memory: "1Gi" } } }]));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /Init container migrate/);
    });
    it("reads CronJob and Pod templates", async () => {
        const bare = { name: "job", image: "x" };
        const cron = { spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { containers: [bare] } } } } } };
        assert.strictEqual((await messagesOf(policy, [{ type: T.cronJob, props: cron }])).length, 1);
        assert.strictEqual((await messagesOf(policy, [{ type: T.pod, props: { spec: { containers: [bare, container()] } } }])).length, 1);
    });
});
