import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, isTrue } from "../../../../shared/props";

/**
 * Severity: high. Topics: encryption at rest, ElastiCache (not covered by awsguard).
 */
export const replicationGroupEncryptedAtRest: ResourceValidationPolicy = {
    name: "elasticache-encrypted-at-rest-with-customer-managed-key",
    description: "Every ElastiCache replication group (aws.elasticache.ReplicationGroup) sets atRestEncryptionEnabled = true and an explicit kmsKeyId.",
    enforcementLevel: "advisory",
    severity: "high",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
        if (!isTrue(group, "atRestEncryptionEnabled")) {
            reportViolation("The replication group is not encrypted at rest: set atRestEncryptionEnabled: true and kmsKeyId to a customer managed key ARN.");
        } else if (!isSet(group, "kmsKeyId")) {
            reportViolation("The replication group uses the default ElastiCache key: set kmsKeyId to a customer managed key ARN.");
        }
    }),
};
