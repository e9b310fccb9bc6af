import * as assert from "assert";
import { LABEL, ROLE, SYNC_ENV, TAG } from "../../../../../../contract/markers";
import { crossRegionEndpointTls13Only } from "../../../../../../policies/encryption/rules/aws/lb/crossRegionEndpointTls13Only";
import { listenerProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: cross-region-endpoint-tls-1-3-only", () => {
    const policy = crossRegionEndpointTls13Only;
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

    describe("on Kubernetes: the sync Ingress and the service behind it", () => {
        const labels = { [LABEL.role]: ROLE.crossRegionSync, [LABEL.region]: "eu-west-1" };
        const ingress = {
            type: T.ingress,
            name: "sync-ingress",
            props: {
                metadata: { name: "cross-region-sync", namespace: "ai-platform", labels, annotations: { "nginx.ingress.kubernetes.io/ssl-passthrough": "true" } },
                spec: { tls: [{ hosts: ["sync.eu-west-1.ai.example.com"], secretName: "cross-region-sync-tls" }] },
            },
        };
        const workload = {
            type: T.deployment,
            name: "sync",
            props: {
                metadata: { name: "cross-region-sync", namespace: "ai-platform", labels },
                spec: { template: { spec: { containers: [{ name: "sync", env: [{ name: SYNC_ENV.tlsMinVersion, value: "1.3" }] }] } } },
            },
        };
        it("is silent when TLS passes through to a sync service that allows TLS 1.3 only", async () => {
            assert.deepStrictEqual(await messagesOf(policy, [ingress, workload]), []);
        });
        it("fires when the controller terminates the cross-region TLS", async () => {
            const terminated = variant(ingress, (i) => delete (i.props.metadata.annotations as any)["nginx.ingress.kubernetes.io/ssl-passthrough"]);
            assert.match((await messagesOf(policy, [terminated, workload]))[0], /without nginx\.ingress\.kubernetes\.io\/ssl-passthrough/);
        });
        it("fires when the sync service behind it allows TLS 1.2", async () => {
            const lax = variant(workload, (w) => (w.props.spec.template.spec.containers[0].env[0].value = "1.2"));
            assert.match((await messagesOf(policy, [ingress, lax]))[0], /sets SYNC_TLS_MIN_VERSION to "1\.2"; set "1\.3"/);
        });
        it("fires when no sync service runs behind it", async () => {
            assert.match((await messagesOf(policy, [ingress]))[0], /no sync workload runs in its namespace and region/);
        });
    });
});
