import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, isTrue } from "../../../../shared/props";

/**
 * Severity: high. Topics: encryption at rest, Aurora.
 */
export const clusterStorageEncrypted: ResourceValidationPolicy = {
    name: "rds-cluster-storage-encrypted-with-customer-managed-key",
    description: "Every RDS/Aurora cluster (aws.rds.Cluster) sets storageEncrypted = true and an explicit kmsKeyId (a customer managed key).",
    enforcementLevel: "advisory",
    severity: "high",
    validateResource: validateResourceOfType(aws.rds.Cluster, (cluster, _args, reportViolation) => {
        if (!isTrue(cluster, "storageEncrypted")) {
            reportViolation("The cluster storage is not encrypted: set storageEncrypted: true and kmsKeyId to a customer managed key ARN.");
        } else if (!isSet(cluster, "kmsKeyId")) {
            reportViolation("The cluster uses the AWS managed RDS key: set kmsKeyId to a customer managed key ARN.");
        }
    }),
};
