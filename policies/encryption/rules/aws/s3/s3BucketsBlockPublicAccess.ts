import { aws } from "../../../../shared/resourceClasses";
import { StackValidationPolicy } from "@pulumi/policy";
import { isTrue, read } from "../../../../shared/props";
import { refersTo } from "../../../../shared/references";
import { typeToken, typeTokens } from "../../../../shared/types";

const BUCKET_TYPES = typeTokens(aws.s3.Bucket, aws.s3.BucketV2);
const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/**
 * Public access blocks keep encrypted data from being published by a later ACL or bucket policy.
 */
export const s3BucketsBlockPublicAccess: StackValidationPolicy = {
    name: "s3-buckets-block-public-access",
    description:
        "Every S3 bucket (Bucket, BucketV2) in the stack has a BucketPublicAccessBlock whose `bucket` refers to it, with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["data exposure", "S3"],
    validateStack: (args, reportViolation) => {
        const blocks = args.resources.filter((r) => r.type === typeToken(aws.s3.BucketPublicAccessBlock));
        for (const bucket of args.resources.filter((r) => BUCKET_TYPES.has(r.type))) {
            const name = read(bucket.props, "bucket") ?? bucket.name;
            const block = blocks.find((b) => refersTo(b, "bucket", bucket));
            if (!block) {
                reportViolation(`Bucket ${name} has no public access block: declare aws.s3.BucketPublicAccessBlock with bucket: <bucket>.id and all four flags true.`, bucket.urn);
                continue;
            }
            const off = FLAGS.filter((flag) => !isTrue(block.props, flag));
            if (off.length > 0) {
                reportViolation(`The public access block of bucket ${name} leaves ${off.join(", ")} unset or false: set them to true.`, block.urn);
            }
        }
    },
};
