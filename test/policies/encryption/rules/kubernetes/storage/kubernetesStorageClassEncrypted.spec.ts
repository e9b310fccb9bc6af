import * as assert from "assert";
import { kubernetesStorageClassEncrypted } from "../../../../../../policies/encryption/rules/kubernetes/storage/kubernetesStorageClassEncrypted";
import { storageClassProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: kubernetes-storage-class-encrypted", () => {
    const policy = kubernetesStorageClassEncrypted;
    it("is silent on an encrypted EBS class with a key", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.storageClass, props: storageClassProps() }]), []);
    });
    it("fires on an unencrypted class", async () => {
        const props = variant(storageClassProps(), (p) => (p.parameters.encrypted = "false"));
        assert.match((await messagesOf(policy, [{ type: T.storageClass, props }]))[0], /not encrypted/);
    });
    it("fires on an EBS class without a key", async () => {
        const props = variant(storageClassProps(), (p) => delete (p.parameters as any).kmsKeyId);
        assert.match((await messagesOf(policy, [{ type: T.storageClass, props }]))[0], /kmsKeyId/);
    });
});
