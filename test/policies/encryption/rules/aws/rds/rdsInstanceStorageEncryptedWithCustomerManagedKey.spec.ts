import * as assert from "assert";
import { rdsInstanceStorageEncryptedWithCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/rds/rdsInstanceStorageEncryptedWithCustomerManagedKey";
import { rdsProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: rds-instance-storage-encrypted-with-customer-managed-key", () => {
    const policy = rdsInstanceStorageEncryptedWithCustomerManagedKey;
    it("is silent on encrypted storage with a key", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.rds, props: rdsProps() }]), []);
    });
    it("fires on unencrypted storage", async () => {
        const props = variant(rdsProps(), (p) => (p.storageEncrypted = false));
        assert.match((await messagesOf(policy, [{ type: T.rds, props }]))[0], /not encrypted/);
    });
    it("fires on a replica without its own key", async () => {
        const props = variant(rdsProps(), (p) => {
            delete (p as any).kmsKeyId;
            (p as any).replicateSourceDb = "arn:aws:rds:us-west-2:123456789012:db:primary";
        });
        assert.match((await messagesOf(policy, [{ type: T.rds, props }]))[0], /AWS managed RDS key/);
    });
});
