import * as assert from "assert";
import { elasticacheEncryptedAtRestWithCustomerManagedKey } from "../../../../../../policies/encryption/rules/aws/elasticache/elasticacheEncryptedAtRestWithCustomerManagedKey";
import { cacheProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: elasticache-encrypted-at-rest-with-customer-managed-key", () => {
    const policy = elasticacheEncryptedAtRestWithCustomerManagedKey;
    it("is silent at rest with a key", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.cache, props: cacheProps() }]), []);
    });
    it("fires without at-rest encryption", async () => {
        const props = variant(cacheProps(), (p) => (p.atRestEncryptionEnabled = false));
        assert.match((await messagesOf(policy, [{ type: T.cache, props }]))[0], /not encrypted at rest/);
    });
    it("fires without a customer managed key", async () => {
        const props = variant(cacheProps(), (p) => delete (p as any).kmsKeyId);
        assert.match((await messagesOf(policy, [{ type: T.cache, props }]))[0], /kmsKeyId/);
    });
});
