import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { requireCustomerManagedKey } from "../../../customerManagedKey";

export const rdsClusterStorageEncryptedWithCustomerManagedKey: ResourceValidationPolicy = {
    name: "rds-cluster-storage-encrypted-with-customer-managed-key",
    description: "Every RDS/Aurora cluster (aws.rds.Cluster) sets storageEncrypted = true and an explicit kmsKeyId (a customer managed key).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "Aurora"],
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
