/**
 * ManagedPostgres: RDS PostgreSQL encrypted with the region's KMS key, TLS enforced by its
 * parameter group, Multi-AZ in production, read replicas (seed 003: streaming replication with
 * 2 replicas), daily backups kept 7+ days (seed 002 section 6.1). The master password is managed
 * by RDS in Secrets Manager (encrypted with the same key), so it never enters Pulumi state.
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformNetwork, vpcOnlySecurityGroup } from "./network";

/** Seed 002 section 6.1: daily backups retained 7 days. */
export const BACKUP_RETENTION_DAYS = 7;
/** Seed 002 section 6.1: full backup daily at 02:00 UTC (RDS wants a 30-minute window). */
export const BACKUP_WINDOW = "02:00-02:30";
export const POSTGRES_PORT = 5432;
export const POSTGRES_FAMILY = "postgres16";
export const POSTGRES_VERSION = "16";

/** Parameter group settings: refuse unencrypted connections. */
export const POSTGRES_PARAMETERS = [{ name: "rds.force_ssl", value: "1" }] as const;

export interface ManagedPostgresArgs {
    network: PlatformNetwork;
    /** ARN of the KMS key for storage, the managed master password and Performance Insights. */
    kmsKeyArn: pulumi.Input<string>;
    /** e.g. db.t3.medium (dev) or db.r5.2xlarge (prod, seed 002 section 7.1). */
    instanceClass: string;
    allocatedStorageGb: number;
    /** Read replicas (seed 003: 2). */
    readReplicas: number;
    /** Multi-AZ standby and deletion protection. */
    production: boolean;
    tags: Record<string, pulumi.Input<string>>;
}

export class ManagedPostgres extends pulumi.ComponentResource {
    readonly endpoint: pulumi.Output<string>;
    readonly replicaEndpoints: pulumi.Output<string>[];

    constructor(name: string, args: ManagedPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier2:ManagedPostgres", name, {}, opts);
        if (!Number.isInteger(args.readReplicas) || args.readReplicas < 0 || args.readReplicas > 5) {
            throw new Error(`databaseReadReplicas must be an integer 0-5 (got ${args.readReplicas}); seed 003 asks for 2`);
        }
        const child = { parent: this };
        const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.network.privateSubnetIds, tags: args.tags }, child);
        const securityGroup = vpcOnlySecurityGroup(`${name}-sg`, { network: args.network, port: POSTGRES_PORT, description: "PostgreSQL from inside the VPC only", tags: args.tags }, child);
        const parameters = new aws.rds.ParameterGroup(
            `${name}-params`,
            { family: POSTGRES_FAMILY, parameters: POSTGRES_PARAMETERS.map((p) => ({ ...p, applyMethod: "pending-reboot" })), tags: args.tags },
            child,
        );
        const encrypted = {
            instanceClass: args.instanceClass,
            storageEncrypted: true,
            kmsKeyId: args.kmsKeyArn,
            parameterGroupName: parameters.name,
            vpcSecurityGroupIds: [securityGroup.id],
            publiclyAccessible: false,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: args.kmsKeyArn,
            autoMinorVersionUpgrade: true,
            copyTagsToSnapshot: true,
            tags: args.tags,
        };
        const primary = new aws.rds.Instance(
            `${name}-primary`,
            {
                ...encrypted,
                engine: "postgres",
                engineVersion: POSTGRES_VERSION,
                allocatedStorage: args.allocatedStorageGb,
                storageType: "gp3",
                dbName: "platform",
                username: "platform_admin",
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.kmsKeyArn,
                dbSubnetGroupName: subnets.name,
                multiAz: args.production,
                backupRetentionPeriod: BACKUP_RETENTION_DAYS,
                backupWindow: BACKUP_WINDOW,
                deletionProtection: args.production,
                skipFinalSnapshot: !args.production,
                finalSnapshotIdentifier: args.production ? `${name}-final` : undefined,
            },
            child,
        );
        this.endpoint = primary.endpoint;
        this.replicaEndpoints = [];
        for (let index = 1; index <= args.readReplicas; index++) {
            const replica = new aws.rds.Instance(
                `${name}-replica-${index}`,
                { ...encrypted, replicateSourceDb: primary.identifier, skipFinalSnapshot: true },
                child,
            );
            this.replicaEndpoints.push(replica.endpoint);
        }
        this.registerOutputs({ endpoint: this.endpoint, replicaEndpoints: this.replicaEndpoints });
    }
}
