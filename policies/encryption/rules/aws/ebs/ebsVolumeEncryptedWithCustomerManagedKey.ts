import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { requireCustomerManagedKey } from "../../../customerManagedKey";

export const ebsVolumeEncryptedWithCustomerManagedKey: ResourceValidationPolicy = {
    name: "ebs-volume-encrypted-with-customer-managed-key",
    description: "Every EBS volume (aws.ebs.Volume) sets encrypted = true and an explicit kmsKeyId (a customer managed key).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "EBS"],
    validateResource: validateResourceOfType(
        aws.ebs.Volume,
        requireCustomerManagedKey({
            encryptedFlag: "encrypted",
            keyField: "kmsKeyId",
            notEncrypted: "The volume is not encrypted: set encrypted: true and kmsKeyId to a customer managed KMS key ARN.",
            awsManagedKey: "The volume uses the AWS managed EBS key: set kmsKeyId to a customer managed KMS key ARN.",
        }),
    ),
};
