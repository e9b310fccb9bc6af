import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { read } from "../../../../shared/props";

/**
 * AWS supports automatic rotation for symmetric encryption keys only, so other key specs are exempt.
 */
export const kmsKeyRotationEnabled: ResourceValidationPolicy = {
    name: "kms-key-rotation-enabled",
    description: "Every symmetric KMS key (aws.kms.Key with customerMasterKeySpec absent or SYMMETRIC_DEFAULT) sets enableKeyRotation = true.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["key management", "KMS"],
    validateResource: validateResourceOfType(aws.kms.Key, (key, _args, reportViolation) => {
        const spec = read(key, "customerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
        if (spec === "SYMMETRIC_DEFAULT" && read(key, "enableKeyRotation") !== true) {
            reportViolation("Automatic rotation is off for this symmetric key: set enableKeyRotation: true.");
        }
    }),
};
