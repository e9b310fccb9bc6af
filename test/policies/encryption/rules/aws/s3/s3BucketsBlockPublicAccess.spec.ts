import * as assert from "assert";
import { s3BucketsBlockPublicAccess } from "../../../../../../policies/encryption/rules/aws/s3/s3BucketsBlockPublicAccess";
import { bucketProps, pabProps, T } from "../../../../support/fixtures";
import { messagesOf, variant } from "../../../../support/policyHarness";

describe("encryption: s3-buckets-block-public-access", () => {
    const policy = s3BucketsBlockPublicAccess;
    const bucket = { type: T.bucket, name: "backups", props: bucketProps() };
    it("is silent when every flag is true", async () => {
        assert.deepStrictEqual(await messagesOf(policy, [bucket, { type: T.pab, props: pabProps() }]), []);
    });
    it("fires on a bucket without a public access block", async () => {
        assert.match((await messagesOf(policy, [bucket]))[0], /no public access block/);
    });
    it("fires when one flag is false", async () => {
        const props = variant(pabProps(), (p) => (p.restrictPublicBuckets = false));
        assert.match((await messagesOf(policy, [bucket, { type: T.pab, props }]))[0], /restrictPublicBuckets/);
    });
});
