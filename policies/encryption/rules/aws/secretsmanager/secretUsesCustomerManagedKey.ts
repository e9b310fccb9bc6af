import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isAwsManagedKeyReference, isSet, read } from "../../../../shared/props";

/**
 * Severity: medium. Topics: encryption at rest, Secrets Manager, key ownership.
 */
export const secretUsesCustomerManagedKey: ResourceValidationPolicy = {
    name: "secretsmanager-secret-uses-customer-managed-key",
    description: "Every Secrets Manager secret (aws.secretsmanager.Secret) sets kmsKeyId to a customer managed key (not empty and not an alias/aws/... key).",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, reportViolation) => {
        const keyId = read(secret, "kmsKeyId");
        if (!isSet(secret, "kmsKeyId") || isAwsManagedKeyReference(keyId)) {
            reportViolation("The secret is encrypted with the AWS managed key aws/secretsmanager: set kmsKeyId to a customer managed KMS key ARN.");
        }
    }),
};
