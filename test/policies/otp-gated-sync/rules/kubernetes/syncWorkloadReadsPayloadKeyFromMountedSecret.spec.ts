import * as assert from "assert";
import { OTP_SEED_KEY, SYNC_ENV } from "../../../../../contract/markers";
import { syncWorkloadReadsPayloadKeyFromMountedSecret } from "../../../../../policies/otp-gated-sync/rules/kubernetes/syncWorkloadReadsPayloadKeyFromMountedSecret";
import { deploymentProps, SYNC_GATE_DIR, syncDeploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: sync-workload-reads-payload-key-from-mounted-secret", () => {
    const policy = syncWorkloadReadsPayloadKeyFromMountedSecret;
    const spec = (p: any) => p.spec.template.spec;
    const env = (p: any) => spec(p).containers[0].env;
    const fire = async (change: (p: any) => void) => messagesOf(policy, [{ type: T.deployment, props: variant(syncDeploymentProps(), change) }]);

    it("is silent when the payload key is a 0400 file of a Secret volume, and on workloads that do not sync", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: syncDeploymentProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it(`fires when the service container sets no ${SYNC_ENV.payloadKeyFile}`, async () => {
        assert.match((await fire((p) => env(p).splice(1, 1)))[0], new RegExp(`sets no ${SYNC_ENV.payloadKeyFile}`));
    });
    it("fires when the key file is the TOTP seed", async () => {
        assert.match((await fire((p) => (env(p)[1].value = `${SYNC_GATE_DIR}/${OTP_SEED_KEY}`)))[0], /seed must not double as the encryption key/);
    });
    it("fires when the key file is readable by others", async () => {
        assert.match((await fire((p) => (spec(p).volumes[0].secret.items[1].mode = 0o644)))[0], /mode 0644/);
    });
});
