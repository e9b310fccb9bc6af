import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { requireCustomerManagedKey } from "../encryptedWithCustomerManagedKey";

/**
 * Severity: high. Topics: encryption at rest, Aurora.
 */
export const clusterStorageEncrypted: ResourceValidationPolicy = {
    name: "rds-cluster-storage-encrypted-with-customer-managed-key",
    description: "Every RDS/Aurora cluster (aws.rds.Cluster) sets storageEncrypted = true and an explicit kmsKeyId (a customer managed key).",
    enforcementLevel: "advisory",
    severity: "high",
    validateResource: validateResourceOfType(
        aws.rds.Cluster,
        requireCustomerManagedKey({
            encryptedFlag: "storageEncrypted",
            keyField: "kmsKeyId",
            notEncrypted: "The cluster storage is not encrypted: set storageEncrypted: true and kmsKeyId to a customer managed key ARN.",
            awsManagedKey: "The cluster uses the AWS managed RDS key: set kmsKeyId to a customer managed key ARN.",
        }),
    ),
};
