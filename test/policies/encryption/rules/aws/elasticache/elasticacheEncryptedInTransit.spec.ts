import * as assert from "assert";
import { elasticacheEncryptedInTransit } from "../../../../../../policies/encryption/rules/aws/elasticache/elasticacheEncryptedInTransit";
import { cacheProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: elasticache-encrypted-in-transit", () => {
    const policy = elasticacheEncryptedInTransit;
    it("is silent with TLS required", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.cache, props: cacheProps() }]), []);
    });
    it("fires without TLS", async () => {
        const props = variant(cacheProps(), (p) => (p.transitEncryptionEnabled = false));
        assert.match((await messagesOf(policy, [{ type: T.cache, props }]))[0], /transitEncryptionEnabled/);
    });
    it("fires in preferred mode", async () => {
        const props = variant(cacheProps(), (p) => ((p as any).transitEncryptionMode = "preferred"));
        assert.match((await messagesOf(policy, [{ type: T.cache, props }]))[0], /"required"/);
    });
});
