import * as assert from "assert";
import { ROLE, TAG } from "../../../../../../components/shared/markers";
import { crossRegionListenerTls13Only } from "../../../../../../policies/encryption/rules/aws/lb/crossRegionListenerTls13Only";
import { listenerProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: cross-region-endpoint-tls-1-3-only", () => {
    const policy = crossRegionListenerTls13Only;
    const lb = { type: T.lb, name: "public-lb", props: { loadBalancerType: "application" } };
    const latencyRecord = {
        type: T.record,
        props: { name: "ai.example.com", type: "A", latencyRoutingPolicies: [{ region: "us-west-2" }], aliases: [{ name: "public-lb.elb.example.com", zoneId: "Z", evaluateTargetHealth: true }] },
    };
    it("is silent on a regional listener with TLS 1.2", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [lb, { type: T.listener, props: listenerProps() }]), []);
    });
    it("is silent on a latency-routed endpoint with a TLS 1.3 policy", async () => {
        const props = variant(listenerProps(), (p) => (p.sslPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06"));
        assert.deepStrictEqual(await messagesOf(policy, [lb, latencyRecord, { type: T.listener, props }]), []);
    });
    it("fires on a latency-routed endpoint that still allows TLS 1.2", async () => {
        const messages = await messagesOf(policy, [lb, latencyRecord, { type: T.listener, name: "https", props: listenerProps() }]);
        assert.strictEqual(messages.length, 1);
        assert.match(messages[0], /TLS13-1-3/);
    });
    it("fires on a listener tagged as a sync endpoint", async () => {
        const props = variant(listenerProps(), (p) => ((p as any).tags = { [TAG.role]: ROLE.crossRegionSync }));
        assert.strictEqual((await messagesOf(policy, [{ type: T.listener, props }])).length, 1);
    });
});
