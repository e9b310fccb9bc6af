import * as assert from "assert";
import { secretsmanagerSecretUsesCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/secretsmanager/secretsmanagerSecretUsesCustomerManagedKey";
import { smSecretProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: secretsmanager-secret-uses-customer-managed-key", () => {
    const policy = secretsmanagerSecretUsesCustomerManagedKey;
    it("is silent with a customer managed key", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.smSecret, props: smSecretProps() }]), []);
    });
    it("fires without kmsKeyId", async () => {
        const props = variant(smSecretProps(), (p) => delete (p as any).kmsKeyId);
        assert.strictEqual((await messagesOf(policy, [{ type: T.smSecret, props }])).length, 1);
    });
    it("fires on the AWS managed alias", async () => {
        const props = variant(smSecretProps(), (p) => (p.kmsKeyId = "alias/aws/secretsmanager"));
        assert.match((await messagesOf(policy, [{ type: T.smSecret, props }]))[0], /AWS managed/);
    });
});
