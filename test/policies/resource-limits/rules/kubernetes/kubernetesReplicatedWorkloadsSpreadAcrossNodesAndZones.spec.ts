import * as assert from "assert";
import { kubernetesReplicatedWorkloadsSpreadAcrossNodesAndZones } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesReplicatedWorkloadsSpreadAcrossNodesAndZones";
import { deploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant, violationsOf } from "../../../support/policyHarness";

describe("resource-limits: kubernetes-replicated-workloads-spread-across-nodes-and-zones", () => {
    const policy = kubernetesReplicatedWorkloadsSpreadAcrossNodesAndZones;
    const hpa = (maxReplicas: number) => ({
        type: T.hpa,
        props: { metadata: { name: "backend", namespace: "ai-platform" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "backend" }, minReplicas: 1, maxReplicas } },
    });
    it("is silent on 3 replicas spread over nodes and zones", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires on replicas without a zone spread, on the workload", async () => {
        const props = variant(deploymentProps(), (p) => p.spec.template.spec.topologySpreadConstraints.pop());
        const violations = await violationsOf(policy, [{ type: T.deployment, name: "backend", props }]);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].message, /Deployment backend can run 3 replicas but does not spread them over topology\.kubernetes\.io\/zone/);
        assert.match(violations[0].resourceUrn ?? "", /Deployment::backend$/);
    });
    it("fires when the constraints select other pods than the workload's own", async () => {
        const props = variant(deploymentProps(), (p) => p.spec.template.spec.topologySpreadConstraints.forEach((c) => (c.labelSelector.matchLabels.app = "frontend")));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /over kubernetes\.io\/hostname and topology\.kubernetes\.io\/zone/);
    });
    it("counts an HPA's maxReplicas for a workload that declares no count, and leaves single replicas alone", async () => {
        const bare = variant(deploymentProps(), (p) => {
            delete (p.spec as any).replicas;
            delete (p.spec.template.spec as any).topologySpreadConstraints;
        });
        assert.match((await messagesOf(policy, [{ type: T.deployment, props: bare }, hpa(4)]))[0], /can run 4 replicas/);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: bare }, hpa(1)]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: bare }]), []);
    });
});
