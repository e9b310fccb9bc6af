import * as assert from "assert";
import { kubernetesIngressServesTls } from "../../../../../../policies/encryption/rules/kubernetes/networking/kubernetesIngressServesTls";
import { ingressProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: kubernetes-ingress-serves-tls", () => {
    const policy = kubernetesIngressServesTls;
    it("is silent when every host has TLS", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.ingress, props: ingressProps() }]), []);
    });
    it("fires without spec.tls", async () => {
        const props = variant(ingressProps(), (p) => delete (p.spec as any).tls);
        assert.match((await messagesOf(policy, [{ type: T.ingress, props }]))[0], /plain HTTP/);
    });
    it("fires on a host outside the TLS hosts", async () => {
        const props = variant(ingressProps(), (p) => p.spec.rules.push({ host: "api.example.com", http: { paths: [] } }));
        assert.match((await messagesOf(policy, [{ type: T.ingress, props }]))[0], /api\.example\.com/);
    });
});
