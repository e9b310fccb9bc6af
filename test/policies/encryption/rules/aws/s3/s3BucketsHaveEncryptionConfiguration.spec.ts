import * as assert from "assert";
import { s3BucketsHaveEncryptionConfiguration } from "../../../../../../policies/encryption/rules/aws/s3/s3BucketsHaveEncryptionConfiguration";
import { bucketProps, sseProps, T } from "../../../../support/fixtures";
import { violationsOf } from "../../../../support/policyHarness";

describe("encryption: s3-buckets-have-encryption-configuration", () => {
    const policy = s3BucketsHaveEncryptionConfiguration;
    it("is silent when the configuration refers to the bucket by its id", async () => {
        assert.deepStrictEqual(await violationsOf(policy, [{ type: T.bucket, name: "backups", props: bucketProps() }, { type: T.sse, props: sseProps("backups-id") }]), []);
    });
    it("is silent when the configuration refers to the bucket by its physical name", async () => {
        assert.deepStrictEqual(await violationsOf(policy, [{ type: T.bucketV7, name: "backups", props: bucketProps() }, { type: T.sse, props: sseProps("ai-platform-backups") }]), []);
    });
    it("fires on a bucket whose configuration targets another bucket", async () => {
        const violations = await violationsOf(policy, [{ type: T.bucket, name: "backups", props: bucketProps() }, { type: T.sse, props: sseProps("other-id") }]);
        assert.strictEqual(violations.length, 1);
        assert.match(violations[0].resourceUrn!, /::backups$/);
        assert.match(violations[0].message, /no server-side encryption configuration/);
    });
});
