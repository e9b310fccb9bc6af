import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { requireCustomerManagedKey } from "../../../customerManagedKey";

export const elasticacheEncryptedAtRestWithCustomerManagedKey: ResourceValidationPolicy = {
    name: "elasticache-encrypted-at-rest-with-customer-managed-key",
    description: "Every ElastiCache replication group (aws.elasticache.ReplicationGroup) sets atRestEncryptionEnabled = true and an explicit kmsKeyId.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "ElastiCache (not covered by awsguard)"],
    validateResource: validateResourceOfType(
        aws.elasticache.ReplicationGroup,
        requireCustomerManagedKey({
            encryptedFlag: "atRestEncryptionEnabled",
            keyField: "kmsKeyId",
            notEncrypted: "The replication group is not encrypted at rest: set atRestEncryptionEnabled: true and kmsKeyId to a customer managed key ARN.",
            awsManagedKey: "The replication group uses the default ElastiCache key: set kmsKeyId to a customer managed key ARN.",
        }),
    ),
};
