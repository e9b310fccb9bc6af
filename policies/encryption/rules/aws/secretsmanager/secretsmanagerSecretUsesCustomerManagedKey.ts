import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { usesCustomerManagedKey } from "../../../../shared/props";

export const secretsmanagerSecretUsesCustomerManagedKey: ResourceValidationPolicy = {
    name: "secretsmanager-secret-uses-customer-managed-key",
    description: "Every Secrets Manager secret (aws.secretsmanager.Secret) sets kmsKeyId to a customer managed key (not empty and not an alias/aws/... key).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["encryption at rest", "Secrets Manager", "key ownership"],
    validateResource: validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, reportViolation) => {
        if (!usesCustomerManagedKey(secret, "kmsKeyId")) {
            reportViolation("The secret is encrypted with the AWS managed key aws/secretsmanager: set kmsKeyId to a customer managed KMS key ARN.");
        }
    }),
};
