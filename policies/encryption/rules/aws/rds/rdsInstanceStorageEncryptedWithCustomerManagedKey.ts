import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { requireCustomerManagedKey } from "../../../customerManagedKey";

/**
 * Read replicas are checked too: a cross-region replica needs its own key in its region.
 */
export const rdsInstanceStorageEncryptedWithCustomerManagedKey: ResourceValidationPolicy = {
    name: "rds-instance-storage-encrypted-with-customer-managed-key",
    description: "Every RDS DB instance (aws.rds.Instance), read replicas included, sets storageEncrypted = true and an explicit kmsKeyId (a customer managed key).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "RDS"],
    validateResource: validateResourceOfType(
        aws.rds.Instance,
        requireCustomerManagedKey({
            encryptedFlag: "storageEncrypted",
            keyField: "kmsKeyId",
            notEncrypted: "The DB instance storage is not encrypted: set storageEncrypted: true and kmsKeyId to a customer managed key ARN (in the instance's region).",
            awsManagedKey: "The DB instance uses the AWS managed RDS key: set kmsKeyId to a customer managed key ARN (in the instance's region).",
        }),
    ),
};
