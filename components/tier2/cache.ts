/**
 * ManagedRedis: an ElastiCache replication group, by default 3 nodes with automatic failover
 * (the managed equivalent of seed 003's "Redis: Sentinel with 3 nodes"), encrypted at rest with the
 * region's KMS key and in transit, with an AUTH token from `@pulumi/random` kept secret.
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PlatformNetwork, vpcOnlySecurityGroup } from "./network";

export const REDIS_PORT = 6379;
export const REDIS_VERSION = "7.1";
/** Seed 002 section 6.1: Redis snapshots retained 24 hours (ElastiCache counts whole days). */
export const SNAPSHOT_RETENTION_DAYS = 1;

/**
 * AUTH token: 64 characters (Redis allows 16-128); letters and digits only, because ElastiCache
 * rejects some printable characters.
 */
export const AUTH_TOKEN_SPEC = { length: 64, special: false, upper: true, lower: true, numeric: true } as const;

export interface ManagedRedisArgs {
    network: PlatformNetwork;
    kmsKeyArn: pulumi.Input<string>;
    /** e.g. cache.t3.medium (dev) or cache.r5.large (prod, seed 002 section 7.1). */
    nodeType: string;
    /** Nodes: 1 primary + replicas (seed 003: 3). */
    nodes: number;
    tags: Record<string, pulumi.Input<string>>;
}

export class ManagedRedis extends pulumi.ComponentResource {
    readonly primaryEndpoint: pulumi.Output<string>;
    /** The AUTH token clients need; secret. */
    readonly authToken: pulumi.Output<string>;

    constructor(name: string, args: ManagedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier2:ManagedRedis", name, {}, opts);
        if (!Number.isInteger(args.nodes) || args.nodes < 1 || args.nodes > 6) {
            throw new Error(`cacheNodes must be an integer 1-6 (got ${args.nodes}); seed 003 asks for 3`);
        }
        // Failover needs a replica to promote: a single node (small dev stacks) runs without it.
        const highlyAvailable = args.nodes >= 2;
        const child = { parent: this };
        const token = new random.RandomPassword(`${name}-auth-token`, { ...AUTH_TOKEN_SPEC }, child);
        this.authToken = pulumi.secret(token.result);

        const subnets = new aws.elasticache.SubnetGroup(`${name}-subnets`, { subnetIds: args.network.privateSubnetIds, tags: args.tags }, child);
        const securityGroup = vpcOnlySecurityGroup(`${name}-sg`, { network: args.network, port: REDIS_PORT, description: "Redis from inside the VPC only", tags: args.tags }, child);
        const group = new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                description: "Platform cache (Redis, automatic failover)",
                engine: "redis",
                engineVersion: REDIS_VERSION,
                nodeType: args.nodeType,
                numCacheClusters: args.nodes,
                port: REDIS_PORT,
                automaticFailoverEnabled: highlyAvailable,
                multiAzEnabled: highlyAvailable,
                atRestEncryptionEnabled: true,
                kmsKeyId: args.kmsKeyArn,
                transitEncryptionEnabled: true,
                authToken: this.authToken,
                subnetGroupName: subnets.name,
                securityGroupIds: [securityGroup.id],
                snapshotRetentionLimit: SNAPSHOT_RETENTION_DAYS,
                tags: args.tags,
            },
            { ...child, additionalSecretOutputs: ["authToken"] },
        );
        this.primaryEndpoint = group.primaryEndpointAddress;
        this.registerOutputs({ primaryEndpoint: this.primaryEndpoint });
    }
}
