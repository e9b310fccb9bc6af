import * as assert from "assert";
import { rdsClusterStorageEncryptedWithCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/rds/rdsClusterStorageEncryptedWithCustomerManagedKey";
import { rdsClusterProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: rds-cluster-storage-encrypted-with-customer-managed-key", () => {
    const policy = rdsClusterStorageEncryptedWithCustomerManagedKey;
    it("is silent on an encrypted cluster", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.rdsCluster, props: rdsClusterProps() }]), []);
    });
    it("fires on an unencrypted cluster", async () => {
        const props = variant(rdsClusterProps(), (p) => delete (p as any).storageEncrypted);
        assert.match((await messagesOf(policy, [{ type: T.rdsCluster, props }]))[0], /not encrypted/);
    });
});
