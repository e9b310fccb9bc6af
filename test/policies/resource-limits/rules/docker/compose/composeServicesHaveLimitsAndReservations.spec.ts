import * as assert from "assert";
import { composeServicesHaveLimitsAndReservations } from "../../../../../../policies/resource-limits/rules/docker/compose/composeServicesHaveLimitsAndReservations";
import { COMPOSE_YAML, composeObjectProps, T } from "../../../../support/fixtures";
import { messagesOf } from "../../../../support/policyHarness";

describe("resource-limits: compose-services-have-limits-and-reservations", () => {
    const policy = composeServicesHaveLimitsAndReservations;
    it("is silent when every service has limits and reservations", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.object, props: composeObjectProps() }]), []);
    });
    it("fires on a service without reservations", async () => {
        const yaml = COMPOSE_YAML.replace('        reservations: { cpus: "0.5", memory: 1g }\n', "");
        assert.match((await messagesOf(policy, [{ type: T.object, props: composeObjectProps(yaml) }]))[0], /backend has no deploy\.resources\.reservations\.cpus/);
    });
});
