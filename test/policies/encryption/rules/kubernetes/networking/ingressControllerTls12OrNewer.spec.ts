import * as assert from "assert";
import { ingressControllerTls12OrNewer } from "../../../../../../policies/encryption/rules/kubernetes/networking/ingressControllerTls12OrNewer";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: ingress-controller-tls-1-2-or-newer", () => {
    const policy = ingressControllerTls12OrNewer;
    const release = { type: "kubernetes:helm.sh/v3:Release", props: { chart: "ingress-nginx", version: "4.12.1", values: { controller: { config: { "ssl-protocols": "TLSv1.2 TLSv1.3" } } } } };
    it("is silent on TLS 1.2 and 1.3, and on other charts", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [release]), []);
        assert.deepStrictEqual(await messagesOf(policy, [variant(release, (r) => { r.props.chart = "cert-manager"; (r.props.values as any) = {}; })]), []);
    });
    it("fires when TLS 1.0 or 1.1 is allowed", async () => {
        assert.match((await messagesOf(policy, [variant(release, (r) => (r.props.values.controller.config["ssl-protocols"] = "TLSv1.1 TLSv1.2 TLSv1.3"))]))[0], /allows "TLSv1\.1 TLSv1\.2 TLSv1\.3"/);
        assert.strictEqual((await messagesOf(policy, [variant(release, (r) => (r.props.values.controller.config["ssl-protocols"] = "TLSv1 TLSv1.2"))])).length, 1);
    });
    it("fires when the protocols are left to the chart", async () => {
        assert.match((await messagesOf(policy, [variant(release, (r) => (r.props.values.controller.config = {} as any))]))[0], /leaves ssl-protocols to the chart/);
    });
});
