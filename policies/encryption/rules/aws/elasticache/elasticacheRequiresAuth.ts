import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, list } from "../../../../shared/props";

export const elasticacheRequiresAuth: ResourceValidationPolicy = {
    name: "elasticache-requires-auth",
    description: "Every ElastiCache replication group (aws.elasticache.ReplicationGroup) sets an authToken or at least one userGroupIds entry, so clients must authenticate.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["authentication", "ElastiCache"],
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
        if (!isSet(group, "authToken") && list(group, "userGroupIds").length === 0) {
            reportViolation("Clients can connect without a password: set authToken from a secret (e.g. a random.RandomPassword result) or userGroupIds.");
        }
    }),
};
