import * as assert from "assert";
import { kubernetesQuotaCoversMinimumReplicas } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesQuotaCoversMinimumReplicas";
import { messagesOf } from "../../../support/policyHarness";
import { deployment, hpa, quota } from "./capacityFixtures";

describe("resource-limits: kubernetes-quota-covers-minimum-replicas", () => {
    const policy = kubernetesQuotaCoversMinimumReplicas;
    const api = deployment("api", undefined, { cpu: "500m", memory: "1Gi" });
    it("is silent when the quota covers the pods at their minimum", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [api, hpa("api", 3), quota({ pods: "4", "requests.cpu": "2", "requests.memory": "4Gi" })]), []);
    });
    it("fires per quota figure the minimum exceeds", async () => {
        const messages = await messagesOf(policy, [api, hpa("api", 3), quota({ pods: "2", "requests.cpu": "1500m", "requests.memory": "2Gi" })]);
        assert.strictEqual(messages.length, 2, messages.join("\n"));
        assert.match(messages[0], /allows pods 2, but the namespace's workloads need 3/);
        assert.match(messages[1], /allows requests\.memory 2\.00 GiB, but .* need 3\.00 GiB/);
    });
    it("fires when the quota's requests.ephemeral-storage is below the pods' (3 x 2Gi > 4Gi), and is silent at 6Gi", async () => {
        const disk = deployment("api", undefined, { cpu: "500m", memory: "1Gi", ephemeral: "2Gi" });
        const [message] = await messagesOf(policy, [disk, hpa("api", 3), quota({ "requests.ephemeral-storage": "4Gi" })]);
        assert.match(message, /allows requests\.ephemeral-storage 4\.00 GiB, but the namespace's workloads need 6\.00 GiB/);
        assert.deepStrictEqual(await messagesOf(policy, [disk, hpa("api", 3), quota({ "requests.ephemeral-storage": "6Gi" })]), []);
    });
    it("does not add up namespaces of the same name in different regions", async () => {
        const q = quota({ pods: "3" });
        const withRegion = (spec: any, region: string) => { const c = JSON.parse(JSON.stringify(spec)); for (const k of Object.keys(c.props.metadata.labels)) c.props.metadata.labels[k] = region; return c; };
        assert.deepStrictEqual(await messagesOf(policy, [api, hpa("api", 3), q, withRegion(api, "eu-west-1"), withRegion(hpa("api", 3), "eu-west-1"), withRegion(q, "eu-west-1")]), []);
    });
});
