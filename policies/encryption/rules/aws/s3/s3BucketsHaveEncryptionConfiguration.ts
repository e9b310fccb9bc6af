import { aws } from "../../../../shared/resourceClasses";
import { StackValidationPolicy } from "@pulumi/policy";
import { read } from "../../../../shared/props";
import { refersTo } from "../../../../shared/references";
import { typeTokens } from "../../../../shared/types";

const BUCKET_TYPES = typeTokens(aws.s3.Bucket, aws.s3.BucketV2);
const SSE_TYPES = typeTokens(aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketServerSideEncryptionConfigurationV2);

/**
 * A bucket without its own encryption configuration falls back to SSE-S3 with AWS owned keys.
 */
export const s3BucketsHaveEncryptionConfiguration: StackValidationPolicy = {
    name: "s3-buckets-have-encryption-configuration",
    description:
        "Every S3 bucket (Bucket, BucketV2) in the stack has a BucketServerSideEncryptionConfiguration(V2) whose `bucket` refers to it (the rule on that resource checks it uses a customer managed KMS key).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "S3"],
    validateStack: (args, reportViolation) => {
        const configs = args.resources.filter((r) => SSE_TYPES.has(r.type));
        for (const bucket of args.resources.filter((r) => BUCKET_TYPES.has(r.type))) {
            if (!configs.some((config) => refersTo(config, "bucket", bucket))) {
                const name = read(bucket.props, "bucket") ?? bucket.name;
                reportViolation(
                    `Bucket ${name} has no server-side encryption configuration: declare aws.s3.BucketServerSideEncryptionConfiguration with bucket: <bucket>.id and a rule { sseAlgorithm: "aws:kms", kmsMasterKeyId: <key ARN> }.`,
                    bucket.urn,
                );
            }
        }
    },
};
