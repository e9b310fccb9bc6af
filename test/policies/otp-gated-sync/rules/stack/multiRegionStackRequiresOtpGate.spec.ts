import * as assert from "assert";
import { TAG } from "../../../../../contract/markers";
import { multiRegionStackRequiresOtpGate } from "../../../../../policies/otp-gated-sync/rules/stack/multiRegionStackRequiresOtpGate";
import { gateSmSecretProps, T, volumeProps } from "../../../support/fixtures";
import { messagesOf } from "../../../support/policyHarness";

describe("otp-gated-sync: multi-region-stack-requires-otp-gate", () => {
    const policy = multiRegionStackRequiresOtpGate;
    const inRegion = (region: string, tier = "2") => ({ type: T.volume, props: { ...volumeProps(), tags: { [TAG.region]: region, [TAG.tier]: tier } } });
    it("is silent on a single-region tier 2 stack", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [inRegion("us-west-2"), inRegion("us-west-2")]), []);
    });
    it("is silent on a multi-region stack with a gate", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [inRegion("us-west-2"), inRegion("eu-west-1"), { type: T.smSecret, props: gateSmSecretProps() }]), []);
    });
    it("fires on two regions without a gate", async () => {
        assert.match((await messagesOf(policy, [inRegion("us-west-2"), inRegion("eu-west-1")]))[0], /eu-west-1, us-west-2/);
    });
    it("fires on a tier 3 tag without a gate", async () => {
        assert.match((await messagesOf(policy, [inRegion("us-west-2", "3")]))[0], /tier 3/);
    });
});
