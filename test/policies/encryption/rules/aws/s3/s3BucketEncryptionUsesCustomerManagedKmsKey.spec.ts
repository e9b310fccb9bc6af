import * as assert from "assert";
import { s3BucketEncryptionUsesCustomerManagedKmsKey } from "../../../../../../policies/encryption/rules/aws/s3/s3BucketEncryptionUsesCustomerManagedKmsKey";
import { sseProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: s3-bucket-encryption-uses-customer-managed-kms-key", () => {
    const policy = s3BucketEncryptionUsesCustomerManagedKmsKey;
    it("is silent on SSE-KMS with a customer managed key (V2 and v7 types)", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.sse, props: sseProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", props: sseProps() }]), []);
    });
    it("fires on AES256", async () => {
        const props = variant(sseProps(), (p) => (p.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "AES256"));
        const messages = await messagesOf(policy, [{ type: T.sse, props }]);
        assert.strictEqual(messages.length, 1);
        assert.match(messages[0], /"AES256".*aws:kms/);
    });
    it("fires on aws:kms without a key", async () => {
        const props = variant(sseProps(), (p) => delete (p.rules[0].applyServerSideEncryptionByDefault as any).kmsMasterKeyId);
        assert.match((await messagesOf(policy, [{ type: T.sse, props }]))[0], /kmsMasterKeyId/);
    });
});
