import * as assert from "assert";
import { ANNOTATION } from "../../../../../contract/markers";
import { syncWorkloadNamesOtpGate } from "../../../../../policies/otp-gated-sync/rules/kubernetes/syncWorkloadNamesOtpGate";
import { deploymentProps, syncDeploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: sync-workload-names-otp-gate", () => {
    const policy = syncWorkloadNamesOtpGate;
    it("is silent on an annotated sync workload, and on workloads that do not sync", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: syncDeploymentProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires when the gate annotation is missing", async () => {
        const props = variant(syncDeploymentProps(), (p) => delete (p.metadata.annotations as any)[ANNOTATION.otpGate]);
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /names no OTP gate/);
    });
});
