import * as assert from "assert";
import { ANNOTATION } from "../../../../../contract/markers";
import { syncWorkloadGateExists } from "../../../../../policies/otp-gated-sync/rules/kubernetes/syncWorkloadGateExists";
import { gateSecretProps, syncDeploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: sync-workload-gate-exists", () => {
    const policy = syncWorkloadGateExists;
    const sync = { type: T.deployment, props: syncDeploymentProps() };
    it("is silent when the gate secret exists in the workload's namespace", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [sync, { type: T.secret, props: gateSecretProps() }]), []);
    });
    it("fires when the stack has no gate (an unsynced gate)", async () => {
        const messages = await messagesOf(policy, [sync]);
        assert.ok(messages.some((m) => /does not declare/.test(m)));
        assert.ok(messages.some((m) => /not an OTP gate secret/.test(m)));
    });
    it("fires when the workload names another gate", async () => {
        const props = variant(syncDeploymentProps(), (p) => ((p.metadata.annotations as any)[ANNOTATION.otpGate] = "other-gate"));
        assert.match((await messagesOf(policy, [{ type: T.deployment, props }, { type: T.secret, props: gateSecretProps() }]))[0], /other-gate/);
    });
    it("is silent when the workload's namespace is not known in preview (undefined)", async () => {
        const props = variant(syncDeploymentProps(), (p) => ((p.metadata as any).namespace = undefined));
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props }, { type: T.secret, props: gateSecretProps() }]), []);
    });
    it("fires when the payload key comes from a Secret that is not the gate's", async () => {
        const props = variant(syncDeploymentProps(), (p: any) => {
            p.spec.template.spec.volumes.push({ name: "keys", secret: { secretName: "some-keys", defaultMode: 0o400 } });
            p.spec.template.spec.containers[0].volumeMounts.push({ name: "keys", mountPath: "/keys", readOnly: true });
            p.spec.template.spec.containers[0].env[1].value = "/keys/payload-key";
        });
        const messages = await messagesOf(policy, [{ type: T.deployment, props }, { type: T.secret, props: gateSecretProps() }]);
        assert.deepStrictEqual(messages.length, 1);
        assert.match(messages[0], /SYNC_PAYLOAD_KEY_FILE from Secret ai-platform\/some-keys, which is not an OTP gate secret/);
    });
    it("fires when both namespaces are known and differ", async () => {
        const secret = variant(gateSecretProps(), (p) => ((p.metadata as any).namespace = "monitoring"));
        assert.match((await messagesOf(policy, [sync, { type: T.secret, props: secret }]))[0], /Secret ai-platform\/.* not an OTP gate secret/);
    });
});
