import * as assert from "assert";
import { parseStackConfig } from "../../../../../../config/config";
import { policyPackConfigFor } from "../../../../../../policies/policyConfig";
import { composeServiceLimitsWithinMaxima } from "../../../../../../policies/resource-limits/rules/docker/compose/composeServiceLimitsWithinMaxima";
import { COMPOSE_YAML, composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";
import { rawStackConfig } from "../../../../support/stackFiles";

describe("resource-limits: compose-service-limits-within-maxima", () => {
    const policy = composeServiceLimitsWithinMaxima;
    const compose = (yaml = COMPOSE_YAML) => [{ type: T.object, props: composeObjectProps(yaml) }];
    it("is silent within the default maxima (cpus 2 / 2g <= 4 CPU / 8Gi)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, compose()), []);
    });
    it("fires when cpus 2.0 exceeds a configured maxContainerCpu of 100m", async () => {
        const yaml = COMPOSE_YAML.replace('cpus: "2"', 'cpus: "2.0"');
        assert.deepStrictEqual(await messagesOf(policy, compose(yaml), { maxContainerCpu: "100m" }), [
            "Compose service backend has CPU limit 2.0, above the maximum 100m: lower it or split the service.",
        ]);
    });
    it("fires above the default memory maximum (9g > 8Gi) and is silent at 8g (binary units)", async () => {
        assert.match((await messagesOf(policy, compose(COMPOSE_YAML.replace("memory: 2g", "memory: 9g"))))[0], /memory limit 9g, above the maximum 8Gi/);
        assert.deepStrictEqual(await messagesOf(policy, compose(COMPOSE_YAML.replace("memory: 2g", "memory: 8g"))), []);
    });
    it("compares compose megabytes with a Kubernetes maximum (2048m = 2Gi, 2049m > 2Gi)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, compose(COMPOSE_YAML.replace("memory: 2g", "memory: 2048m")), { maxContainerMemory: "2Gi" }), []);
        assert.strictEqual((await messagesOf(policy, compose(COMPOSE_YAML.replace("memory: 2g", "memory: 2049m")), { maxContainerMemory: "2Gi" })).length, 1);
    });
    it("names an invalid CPU limit", async () => {
        assert.match((await messagesOf(policy, compose(COMPOSE_YAML.replace('cpus: "2"', 'cpus: "two"'))))[0], /invalid CPU limit "two"/);
    });
    it("receives the stack's maxima through policyPackConfigFor", () => {
        const prod = policyPackConfigFor(parseStackConfig(rawStackConfig("prod"), "ai-platform", "prod"));
        const entry = prod["resource-limits"][policy.name] as Record<string, unknown>;
        assert.deepStrictEqual(Object.keys(entry).sort(), ["enforcementLevel", "maxContainerCpu", "maxContainerMemory"]);
        assert.strictEqual(entry.enforcementLevel, "mandatory");
    });
});
