import * as assert from "assert";
import { ANNOTATION, SYNC_ENV } from "../../../../../components/shared/markers";
import { syncWorkloadVerifiesOtp } from "../../../../../policies/otp-gated-sync/rules/kubernetes/syncWorkloadVerifiesOtp";
import { deploymentProps, syncDeploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: sync-workload-verifies-otp-from-gate-secret", () => {
    const policy = syncWorkloadVerifiesOtp;
    const env = (p: any) => p.spec.template.spec.containers[0].env;
    it("is silent on a gated sync workload, and on workloads that do not sync", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: syncDeploymentProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("fires when the seed is a literal value", async () => {
        const props = variant(syncDeploymentProps(), (p) => (env(p)[0] = { name: SYNC_ENV.seed, value: "JBSWY3DPEHPK3PXP" }));
        const messages = await messagesOf(policy, [{ type: T.deployment, props }]);
        assert.ok(messages.some((m) => /literal env value/.test(m)));
        assert.ok(messages.some((m) => /No container verifies/.test(m)));
    });
    it("fires when OTP is not required", async () => {
        const props = variant(syncDeploymentProps(), (p) => (env(p)[1].value = "false"));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], new RegExp(SYNC_ENV.requireOtp));
    });
    it("fires when the gate annotation is missing", async () => {
        const props = variant(syncDeploymentProps(), (p) => delete (p.metadata.annotations as any)[ANNOTATION.otpGate]);
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }]))[0], /names no OTP gate/);
    });
});
