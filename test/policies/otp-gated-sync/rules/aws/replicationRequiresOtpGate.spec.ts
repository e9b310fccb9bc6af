import * as assert from "assert";
import { TAG } from "../../../../../contract/markers";
import { replicationRequiresOtpGate } from "../../../../../policies/otp-gated-sync/rules/aws/replicationRequiresOtpGate";
import { gateSmSecretProps, rdsProps, T } from "../../../support/fixtures";
import { messagesOf } from "../../../support/policyHarness";

describe("otp-gated-sync: replication-requires-otp-gate", () => {
    const policy = replicationRequiresOtpGate;
    const s3Replication = { type: T.replication, props: { bucket: "primary-id", role: "arn:role", rules: [], tags: { [TAG.otpGate]: "sync-gate" } } };
    const crossRegionReplica = { type: T.rds, props: { ...rdsProps(), replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:primary" } };
    it("is silent when the gate exists", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [s3Replication, crossRegionReplica, { type: T.smSecret, props: gateSmSecretProps() }]), []);
    });
    it("is silent on a same-region read replica without a gate", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.rds, props: { ...rdsProps(), replicateSourceDb: "primary" } }]), []);
    });
    it("fires on S3 replication, RDS cross-region replicas and global datastores without a gate", async () => {
        const messages = await messagesOf(policy, [s3Replication, crossRegionReplica, { type: T.globalCache, props: { globalReplicationGroupIdSuffix: "x" } }]);
        assert.strictEqual(messages.length, 3);
        assert.ok(messages.every((m) => /no OTP gate/.test(m)));
    });
    it("fires when the tagged gate is not the declared one", async () => {
        const other = { type: T.smSecret, props: { ...gateSmSecretProps(), tags: { ...gateSmSecretProps().tags, [TAG.otpGate]: "another" } } };
        assert.match((await messagesOf(policy, [s3Replication, other]))[0], /tagged with OTP gate sync-gate/);
    });
});
