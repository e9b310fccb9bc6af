import * as assert from "assert";
import { ebsVolumeEncryptedWithCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/ebs/ebsVolumeEncryptedWithCustomerManagedKey";
import { T, volumeProps } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: ebs-volume-encrypted-with-customer-managed-key", () => {
    const policy = ebsVolumeEncryptedWithCustomerManagedKey;
    it("is silent on an encrypted volume with a key", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.volume, props: volumeProps() }]), []);
    });
    it("fires on an unencrypted volume", async () => {
        const props = variant(volumeProps(), (p) => (p.encrypted = false));
        assert.match((await messagesOf(policy, [{ type: T.volume, props }]))[0], /not encrypted/);
    });
    it("fires on the AWS managed key", async () => {
        const props = variant(volumeProps(), (p) => delete (p as any).kmsKeyId);
        assert.match((await messagesOf(policy, [{ type: T.volume, props }]))[0], /AWS managed/);
    });
    it("ignores other types", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.kms, props: { encrypted: false } }]), []);
    });
});
