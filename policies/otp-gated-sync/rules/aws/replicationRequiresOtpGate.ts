import { aws } from "../../../shared/resourceClasses";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ROLE, TAG } from "../../../../contract/markers";
import { gateSecretsIn, secretBelongsToGate } from "../../../shared/gate";
import { markersOf, read, roleOf } from "../../../shared/props";
import { typeToken } from "../../../shared/types";

/** Why a resource replicates data across regions, or undefined when it does not. */
function replicationKind(resource: { type: string; props: Record<string, any> }): string | undefined {
    const { type, props } = resource;
    if (roleOf(props) === ROLE.crossRegionReplication) {
        return "tagged cross-region-replication";
    }
    if (type === typeToken(aws.s3.BucketReplicationConfig)) {
        return "S3 replication configuration";
    }
    if (type === typeToken(aws.elasticache.GlobalReplicationGroup)) {
        return "ElastiCache global datastore";
    }
    if (type === typeToken(aws.elasticache.ReplicationGroup) && read(props, "globalReplicationGroupId") !== undefined) {
        return "ElastiCache global datastore member";
    }
    if (type === typeToken(aws.rds.GlobalCluster)) {
        return "Aurora global database";
    }
    const source = read(props, "replicateSourceDb");
    if (type === typeToken(aws.rds.Instance) && typeof source === "string" && source.startsWith("arn:")) {
        return "RDS cross-region read replica"; // same-region replicas name the source by identifier, cross-region ones by ARN
    }
    return undefined;
}

export const replicationRequiresOtpGate: StackValidationPolicy = {
    name: "replication-requires-otp-gate",
    description:
        "Cross-region replication (S3 BucketReplicationConfig, ElastiCache GlobalReplicationGroup and its member replication groups, Aurora GlobalCluster, RDS read replicas whose replicateSourceDb is an ARN, anything tagged role=cross-region-replication) " +
        `is declared only in a stack that declares an OTP gate secret (role otp-gate-secret); a replication resource tagged ${TAG.otpGate}=<gate> needs that very gate.`,
    enforcementLevel: "advisory",
    severity: "critical",
    tags: ["OTP gate", "cross-region replication"],
    validateStack: (args, reportViolation) => {
        const gateSecrets = gateSecretsIn(args.resources);
        for (const resource of args.resources as PolicyResource[]) {
            const kind = replicationKind(resource);
            if (kind === undefined) {
                continue;
            }
            const gate = markersOf(resource.props)[TAG.otpGate];
            if (gateSecrets.length === 0) {
                reportViolation(`${resource.name} (${kind}) replicates across regions but the stack has no OTP gate: declare the OtpGate and route sync through it, or remove the replication.`, resource.urn);
            } else if (gate !== undefined && !gateSecrets.some((s) => secretBelongsToGate(s, gate))) {
                reportViolation(`${resource.name} (${kind}) is tagged with OTP gate ${gate}, which the stack does not declare: tag it with a declared gate or declare ${gate}.`, resource.urn);
            }
        }
    },
};
