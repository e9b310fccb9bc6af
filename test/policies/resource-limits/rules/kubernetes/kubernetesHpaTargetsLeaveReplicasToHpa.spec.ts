import * as assert from "assert";
import { kubernetesHpaTargetsLeaveReplicasToHpa } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesHpaTargetsLeaveReplicasToHpa";
import { messagesOf, violationsOf } from "../../../support/policyHarness";
import { deployment, hpa } from "./capacityFixtures";

describe("resource-limits: kubernetes-hpa-targets-leave-replicas-to-hpa", () => {
    const policy = kubernetesHpaTargetsLeaveReplicasToHpa;
    it("is silent when the HPA's target leaves spec.replicas out", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [deployment("api", undefined, { cpu: "1", memory: "1Gi" }), hpa("api", 3)]), []);
    });
    it("is silent on a fixed-size workload no HPA targets", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [deployment("api", 3, { cpu: "1", memory: "1Gi" }), hpa("web", 3)]), []);
    });
    it("is silent on 1, the API default a real preview shows when the program sets none", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [deployment("api", 1, { cpu: "1", memory: "1Gi" }), hpa("api", 3)]), []);
    });
    it("on a deployed object, reads who owns spec.replicas from its managed fields", async () => {
        const live = (owner: string, ownsReplicas: boolean) => {
            const d = deployment("api", 5, { cpu: "1", memory: "1Gi" });
            (d.props.metadata as any).managedFields = [
                { manager: owner, operation: "Apply", fieldsV1: { "f:spec": { ...(ownsReplicas ? { "f:replicas": {} } : {}), "f:template": {} } } },
                { manager: "kube-controller-manager", operation: "Update", fieldsV1: { "f:spec": { "f:replicas": {} } } },
            ];
            return d;
        };
        assert.deepStrictEqual(await messagesOf(policy, [live("pulumi-kubernetes-9f1f3ad4", false), hpa("api", 3)]), [], "the HPA's count (5) is not the program's");
        assert.match((await messagesOf(policy, [live("pulumi-kubernetes-9f1f3ad4", true), hpa("api", 3)]))[0], /every update resets the autoscaler's count/);
    });
    it("fires on the Deployment an HPA scales when it sets spec.replicas", async () => {
        const [v] = await violationsOf(policy, [deployment("api", 3, { cpu: "1", memory: "1Gi" }), hpa("api", 3)]);
        assert.match(v.message, /Deployment api sets spec\.replicas \(3\) while HPA api scales it/);
        assert.match(v.resourceUrn ?? "", /Deployment::api$/);
    });
});
