import * as assert from "assert";
import { lbListenerTls12OrNewer } from "../../../../../../policies/encryption/rules/aws/lb/lbListenerTls12OrNewer";
import { listenerProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: lb-listener-tls-1-2-or-newer", () => {
    const policy = lbListenerTls12OrNewer;
    it("is silent on HTTPS with a TLS 1.2+ policy, on aws.alb listeners too", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.listener, props: listenerProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: "aws:alb/listener:Listener", props: listenerProps() }]), []);
    });
    it("is silent on an HTTP listener that only redirects to HTTPS", async () => {
        const props = variant(listenerProps(), (p) => {
            p.protocol = "HTTP";
            p.port = 80;
            p.defaultActions = [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } as any];
        });
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.listener, props }]), []);
    });
    it("fires on a TLS 1.0 policy", async () => {
        const props = variant(listenerProps(), (p) => (p.sslPolicy = "ELBSecurityPolicy-2016-08"));
        assert.match((await messagesOf(policy, [{ type: T.listener, props }]))[0], /below 1\.2/);
    });
    it("fires on a forwarding HTTP listener", async () => {
        const props = variant(listenerProps(), (p) => (p.protocol = "HTTP"));
        assert.match((await messagesOf(policy, [{ type: T.listener, props }]))[0], /plaintext HTTP/);
    });
});
