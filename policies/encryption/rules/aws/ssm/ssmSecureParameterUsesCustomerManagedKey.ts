import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { read, usesCustomerManagedKey } from "../../../../shared/props";

export const ssmSecureParameterUsesCustomerManagedKey: ResourceValidationPolicy = {
    name: "ssm-secure-parameter-uses-customer-managed-key",
    description: "Every SSM parameter of type SecureString (aws.ssm.Parameter) sets keyId to a customer managed key (not empty and not alias/aws/ssm).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["encryption at rest", "SSM Parameter Store", "key ownership"],
    validateResource: validateResourceOfType(aws.ssm.Parameter, (parameter, _args, reportViolation) => {
        if (read(parameter, "type") !== "SecureString") {
            return;
        }
        if (!usesCustomerManagedKey(parameter, "keyId")) {
            reportViolation("The SecureString parameter uses the AWS managed key aws/ssm: set keyId to a customer managed KMS key ARN.");
        }
    }),
};
