import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { read } from "../../../../shared/props";

/**
 * "preferred" mode still accepts plaintext clients, so only "required" (or no mode, which means required) passes.
 */
export const elasticacheEncryptedInTransit: ResourceValidationPolicy = {
    name: "elasticache-encrypted-in-transit",
    description: "Every ElastiCache replication group (aws.elasticache.ReplicationGroup) sets transitEncryptionEnabled = true and does not set transitEncryptionMode \"preferred\".",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption in transit", "ElastiCache (not covered by awsguard)"],
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
        if (read(group, "transitEncryptionEnabled") !== true) {
            reportViolation("TLS is off for the replication group: set transitEncryptionEnabled: true.");
        } else if (read(group, "transitEncryptionMode") === "preferred") {
            reportViolation("transitEncryptionMode \"preferred\" accepts unencrypted connections: set it to \"required\".");
        }
    }),
};
