import * as assert from "assert";
import { ssmSecureParameterUsesCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/ssm/ssmSecureParameterUsesCustomerManagedKey";
import { ssmProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: ssm-secure-parameter-uses-customer-managed-key", () => {
    const policy = ssmSecureParameterUsesCustomerManagedKey;
    it("is silent with a customer managed key, and on plain String parameters", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.ssm, props: ssmProps() }]), []);
        const plain = variant(ssmProps(), (p) => {
            p.type = "String";
            delete (p as any).keyId;
        });
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.ssm, props: plain }]), []);
    });
    it("fires on a SecureString with the default key", async () => {
        const props = variant(ssmProps(), (p) => delete (p as any).keyId);
        assert.match((await messagesOf(policy, [{ type: T.ssm, props }]))[0], /aws\/ssm/);
    });
});
