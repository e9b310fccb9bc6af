import * as assert from "assert";
import { composeServiceReservationsNotAboveLimits } from "../../../../../../policies/resource-limits/rules/docker/compose/composeServiceReservationsNotAboveLimits";
import { COMPOSE_YAML, composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";

describe("resource-limits: compose-service-reservations-not-above-limits", () => {
    const policy = composeServiceReservationsNotAboveLimits;
    it("is silent when reservations are below limits", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.object, props: composeObjectProps() }]), []);
    });
    it("fires when the memory reservation (3g) exceeds the limit (2g)", async () => {
        const yaml = COMPOSE_YAML.replace("memory: 1g", "memory: 3g");
        assert.match((await messagesOf(policy, [{ type: T.object, props: composeObjectProps(yaml) }]))[0], /reserves 3g memory, more than its limit 2g/);
    });
    it("compares 2048m with 2g as equal (binary units)", async () => {
        const yaml = COMPOSE_YAML.replace("memory: 1g", "memory: 2048m");
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.object, props: composeObjectProps(yaml) }]), []);
    });
});
