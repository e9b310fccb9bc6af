import * as assert from "assert";
import { SYNC_ENV } from "../../../../../contract/markers";
import { syncWorkloadReadsOtpSeedFromMountedFile } from "../../../../../policies/otp-gated-sync/rules/kubernetes/syncWorkloadReadsOtpSeedFromMountedFile";
import { deploymentProps, syncDeploymentProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: sync-workload-reads-otp-seed-from-mounted-file", () => {
    const policy = syncWorkloadReadsOtpSeedFromMountedFile;
    const spec = (p: any) => p.spec.template.spec;
    const env = (p: any) => spec(p).containers[0].env;
    const fire = async (change: (p: any) => void) => messagesOf(policy, [{ type: T.deployment, props: variant(syncDeploymentProps(), change) }]);

    it("is silent when the seed is a 0400 file of a Secret volume, and on workloads that do not sync", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: syncDeploymentProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.deployment, props: deploymentProps() }]), []);
    });
    it("is silent with mode 0440 and with a whole-Secret mount (no items)", async () => {
        assert.deepStrictEqual(await fire((p) => (spec(p).volumes[0].secret.defaultMode = 0o440)), []);
        assert.deepStrictEqual(await fire((p) => delete spec(p).volumes[0].secret.items), []);
    });
    it("fires when no container names the seed file (e.g. the seed came through the environment)", async () => {
        const messages = await fire((p) => (env(p)[0] = { name: "SYNC_OTP_SEED", valueFrom: { secretKeyRef: { name: "otp-gate-sync-gate", key: "seed" } } }));
        assert.match(messages[0], /No container verifies OTP codes/);
    });
    it("fires when the file is not under a mount, or the volume is not a Secret", async () => {
        assert.match((await fire((p) => (env(p)[0].value = "/etc/seed")))[0], /not inside any volumeMount/);
        assert.match((await fire((p) => (spec(p).volumes[0] = { name: "otp-gate", emptyDir: {} })))[0], /not a Secret volume/);
    });
    it("fires when the file holds another key, or no item is projected there", async () => {
        assert.match((await fire((p) => (spec(p).volumes[0].secret.items[0].key = "other")))[0], /key "other"/);
        assert.match((await fire((p) => (env(p)[0].value = `${env(p)[0].value}-typo`)))[0], /no item/);
    });
    it("fires when the file is readable by others (or the mode is left at the 0644 default)", async () => {
        assert.match((await fire((p) => (spec(p).volumes[0].secret.defaultMode = 0o444)))[0], /mode 0444/);
        assert.match((await fire((p) => delete spec(p).volumes[0].secret.defaultMode))[0], /mode 0644/);
    });
    it(`fires when ${SYNC_ENV.seedFile} is not a literal path`, async () => {
        assert.match((await fire((p) => (env(p)[0] = { name: SYNC_ENV.seedFile, valueFrom: { configMapKeyRef: { name: "x", key: "y" } } })))[0], /literal absolute path/);
    });
});
