import * as assert from "assert";
import { elasticacheRequiresAuth } from "../../../../../../policies/encryption/rules/aws/elasticache/elasticacheRequiresAuth";
import { cacheProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: elasticache-requires-auth", () => {
    const policy = elasticacheRequiresAuth;
    it("is silent with an auth token", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.cache, props: cacheProps() }]), []);
    });
    it("fires without a token or user group", async () => {
        const props = variant(cacheProps(), (p) => delete (p as any).authToken);
        assert.match((await messagesOf(policy, [{ type: T.cache, props }]))[0], /authToken/);
    });
});
