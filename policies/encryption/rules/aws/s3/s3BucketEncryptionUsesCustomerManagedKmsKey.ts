import { aws } from "../../../../shared/resourceClasses";
import { ReportViolation, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, list, read } from "../../../../shared/props";

/** SSE algorithms that encrypt with a KMS key. */
const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

function checkRules(props: Record<string, any>, reportViolation: ReportViolation): void {
    const rules = list(props, "rules");
    if (rules.length === 0) {
        reportViolation("The configuration has no rule: add a rule with applyServerSideEncryptionByDefault { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: <customer managed key ARN> }.");
    }
    for (const rule of rules) {
        const algorithm = read(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm");
        if (!KMS_ALGORITHMS.has(algorithm)) {
            reportViolation(`sseAlgorithm is ${JSON.stringify(algorithm)}: set applyServerSideEncryptionByDefault.sseAlgorithm to "aws:kms".`);
        } else if (!isSet(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")) {
            reportViolation("kmsMasterKeyId is not set, so S3 uses the AWS managed key: set applyServerSideEncryptionByDefault.kmsMasterKeyId to a customer managed KMS key ARN.");
        }
    }
}

/**
 * A bucket's default encryption configuration must use SSE-KMS with a customer managed key.
 */
export const s3BucketEncryptionUsesCustomerManagedKmsKey: ResourceValidationPolicy = {
    name: "s3-bucket-encryption-uses-customer-managed-kms-key",
    description:
        "Every S3 bucket server-side encryption configuration (BucketServerSideEncryptionConfiguration and its V2 alias) has at least one rule, and every rule sets sseAlgorithm \"aws:kms\" (or \"aws:kms:dsse\") with an explicit kmsMasterKeyId.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "S3", "KMS"],
    validateResource: [
        validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (props, _args, reportViolation) => checkRules(props, reportViolation)),
        validateResourceOfType(aws.s3.BucketServerSideEncryptionConfigurationV2, (props, _args, reportViolation) => checkRules(props, reportViolation)),
    ],
};
