import * as assert from "assert";
import { LABEL } from "../../../../../contract/markers";
import { otpGateSecretEncryptedWithCustomerManagedKey } from "../../../../../policies/otp-gated-sync/rules/stack/otpGateSecretEncryptedWithCustomerManagedKey";
import { eksProps, gateSecretProps, gateSmSecretProps, T } from "../../../support/fixtures";
import { messagesOf, variant } from "../../../support/policyHarness";

describe("otp-gated-sync: otp-gate-secret-encrypted-with-customer-managed-key", () => {
    const policy = otpGateSecretEncryptedWithCustomerManagedKey;
    it("is silent on a KMS-encrypted Secrets Manager gate and a Secret in an encrypting cluster", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.smSecret, props: gateSmSecretProps() }, { type: T.secret, props: gateSecretProps() }, { type: T.eks, props: eksProps() }]), []);
    });
    it("fires on a Secrets Manager gate with the AWS managed key", async () => {
        const props = variant(gateSmSecretProps(), (p) => delete (p as any).kmsKeyId);
        assert.match((await messagesOf(policy, [{ type: T.smSecret, props }]))[0], /AWS managed key/);
    });
    it("fires on a Kubernetes gate Secret in a cluster without secrets encryption", async () => {
        const cluster = variant(eksProps(), (p) => delete (p as any).encryptionConfig);
        const secret = variant(gateSecretProps(), (p) => ((p.metadata.labels as any)[LABEL.region] = "us-west-2"));
        assert.match((await messagesOf(policy, [{ type: T.secret, props: secret }, { type: T.eks, props: cluster }]))[0], /does not envelope-encrypt/);
    });
});
