import * as assert from "assert";
import { kubernetesIngressTlsSecretIssued } from "../../../../../../policies/encryption/rules/kubernetes/networking/kubernetesIngressTlsSecretIssued";
import { ingressProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: kubernetes-ingress-tls-secret-issued", () => {
    const policy = kubernetesIngressTlsSecretIssued;
    const ingress = { type: T.ingress, props: ingressProps() };
    const tlsSecret = { type: T.secret, props: { metadata: { name: "web-tls", namespace: "ai-platform" }, type: "kubernetes.io/tls", data: {} } };
    const certificate = {
        type: "kubernetes:cert-manager.io/v1:Certificate",
        props: { metadata: { name: "web-tls", namespace: "ai-platform" }, spec: { secretName: "web-tls", dnsNames: ["ai.example.com"], issuerRef: { kind: "ClusterIssuer", name: "acme" } } },
    };
    it("is silent when the stack declares the TLS Secret", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [ingress, tlsSecret]), []);
    });
    it("is silent when a cert-manager Certificate covering the hosts issues it", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [ingress, certificate]), []);
    });
    it("fires when nothing creates the Secret (the platform-tls nobody made)", async () => {
        assert.match((await messagesOf(policy, [ingress]))[0], /Ingress web serves TLS from Secret web-tls, which nothing in the stack creates/);
    });
    it("fires when the Secret exists in another namespace, or is not a TLS Secret", async () => {
        const elsewhere = variant(tlsSecret, (s) => (s.props.metadata.namespace = "other"));
        assert.strictEqual((await messagesOf(policy, [ingress, elsewhere])).length, 1);
        const opaque = variant(tlsSecret, (s) => (s.props.type = "Opaque"));
        assert.strictEqual((await messagesOf(policy, [ingress, opaque])).length, 1);
    });
    it("fires when the Certificate does not cover every host of the TLS entry", async () => {
        const twoHosts = variant(ingress, (i) => (i.props.spec.tls[0].hosts = ["ai.example.com", "app.ai.example.com"]));
        assert.match((await messagesOf(policy, [twoHosts, certificate]))[0], /does not cover app\.ai\.example\.com/);
    });
});
