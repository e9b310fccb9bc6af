import * as assert from "assert";
import { kmsKeyRotationEnabled } from "../../../../../../policies/encryption/rules/aws/kms/kmsKeyRotationEnabled";
import { kmsProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: kms-key-rotation-enabled", () => {
    const policy = kmsKeyRotationEnabled;
    it("is silent with rotation on, and on asymmetric keys", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.kms, props: kmsProps() }]), []);
        assert.deepStrictEqual(await messagesOf(policy, [{ type: T.kms, props: { customerMasterKeySpec: "RSA_2048" } }]), []);
    });
    it("fires with rotation off", async () => {
        const props = variant(kmsProps(), (p) => (p.enableKeyRotation = false));
        assert.match((await messagesOf(policy, [{ type: T.kms, props }]))[0], /enableKeyRotation/);
    });
});
