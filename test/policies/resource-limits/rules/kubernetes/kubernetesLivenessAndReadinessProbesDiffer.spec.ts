import * as assert from "assert";
import { kubernetesLivenessAndReadinessProbesDiffer } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesLivenessAndReadinessProbesDiffer";
import { deploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-liveness-and-readiness-probes-differ", () => {
    const policy = kubernetesLivenessAndReadinessProbesDiffer;
    it("is silent when readiness checks the health path and liveness a TCP connect", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires when liveness runs the readiness check, naming the check", async () => {
        const props = variant(deploymentProps(), (p) => {
            const c: any = p.spec.template.spec.containers[0];
            c.livenessProbe = { httpGet: { port: 8000, path: "/health" }, periodSeconds: 10, failureThreshold: 3 };
        });
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /Container backend has the same liveness and readiness check \(httpGet \/health on port 8000\)/);
    });
    it("fires on the same check with only longer liveness timing (a dependency outage still restarts the pods)", async () => {
        const props = variant(deploymentProps(), (p) => {
            const c: any = p.spec.template.spec.containers[0];
            c.livenessProbe = { httpGet: { path: "/health", port: 8000 }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 };
        });
        assert.strictEqual((await messagesOf(policy, [{ type: T.deployment, props }])).length, 1);
    });
    it("tells HTTP paths and commands apart, and is silent without a liveness probe", async () => {
        const otherPath = variant(deploymentProps(), (p) => ((p.spec.template.spec.containers[0] as any).livenessProbe = { httpGet: { path: "/livez", port: 8000 } }));
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: otherPath }]), []);
        const sameCommand = variant(deploymentProps(), (p) => {
            const c: any = p.spec.template.spec.containers[0];
            c.readinessProbe = { exec: { command: ["redis-cli", "ping"] } };
            c.livenessProbe = { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 30 };
        });
        assert.match((await messagesOf(policy, [{ type: T.deployment, props: sameCommand }]))[0], /command redis-cli ping/);
        const noLiveness = variant(deploymentProps(), (p) => delete (p.spec.template.spec.containers[0] as any).livenessProbe);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: noLiveness }]), []);
    });
});
