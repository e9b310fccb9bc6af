import * as assert from "assert";
import { eksClusterSecretsEncryptedWithKms } from "../../../../../../policies/encryption/rules/aws/eks/eksClusterSecretsEncryptedWithKms";
import { eksProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: eks-cluster-secrets-encrypted-with-kms", () => {
    const policy = eksClusterSecretsEncryptedWithKms;
    it("is silent with secrets envelope encryption", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.eks, props: eksProps() }]), []);
    });
    it("fires without encryptionConfig", async () => {
        const props = variant(eksProps(), (p) => delete (p as any).encryptionConfig);
        assert.match((await messagesOf(policy, [{ type: T.eks, props }]))[0], /envelope encryption/);
    });
    it("fires when secrets are not among the resources", async () => {
        const props = variant(eksProps(), (p) => (p.encryptionConfig.resources = []));
        assert.match((await messagesOf(policy, [{ type: T.eks, props }]))[0], /"secrets"/);
    });
});
