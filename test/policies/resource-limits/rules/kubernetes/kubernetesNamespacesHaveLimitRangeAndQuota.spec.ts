import * as assert from "assert";
import { kubernetesNamespacesHaveLimitRangeAndQuota } from "../../../../../policies/resource-limits/rules/kubernetes/kubernetesNamespacesHaveLimitRangeAndQuota";
import { T } from "../../../support/fixtures";
import { messagesOf } from "../../../support/policyHarness";
import { asPreviewProps, UNKNOWN_STRING } from "../../../support/previewUnknowns";

describe("resource-limits: kubernetes-namespaces-have-limit-range-and-quota", () => {
    const policy = kubernetesNamespacesHaveLimitRangeAndQuota;
    const ns = { type: T.namespace, props: { metadata: { name: "ai-platform" } } };
    const lr = { type: T.limitRange, props: { metadata: { namespace: "ai-platform" }, spec: { limits: [] } } };
    const quota = { type: T.quota, props: { metadata: { namespace: "ai-platform" }, spec: { hard: {} } } };
    it("is silent when both exist in the namespace", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [ns, lr, quota]), []);
    });
    it("fires on a namespace without a quota", async () => {
        assert.match((await messagesOf(policy, [ns, lr]))[0], /has no ResourceQuota/);
    });
    it("fires when the LimitRange sits in another namespace", async () => {
        const elsewhere = { ...lr, props: { metadata: { namespace: "monitoring" }, spec: { limits: [] } } };
        assert.match((await messagesOf(policy, [ns, elsewhere, quota]))[0], /has no LimitRange/);
    });
    it("does not guess \"default\" when the LimitRange's namespace is not known in preview (undefined)", async () => {
        const unknownNamespace = { ...lr, props: { metadata: { namespace: undefined, name: "container-limits" }, spec: { limits: [] } } };
        assert.deepStrictEqual(await messagesOf(policy, [ns, unknownNamespace, quota]), []);
    });
    it("does not guess either when the ResourceQuota's namespace is the policy SDK's unknown value", async () => {
        const unknownNamespace = { ...quota, props: asPreviewProps({ metadata: { namespace: UNKNOWN_STRING }, spec: { hard: {} } }) };
        assert.deepStrictEqual(await messagesOf(policy, [ns, lr, unknownNamespace]), []);
    });
    it("still fires for the kind whose objects all have known namespaces", async () => {
        const unknownNamespace = { ...quota, props: { metadata: { namespace: undefined }, spec: { hard: {} } } };
        assert.match((await messagesOf(policy, [ns, unknownNamespace]))[0], /has no LimitRange:/);
    });
});
