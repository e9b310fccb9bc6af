/**
 * What every AWS region of the platform stands on, whatever the tier: the region's customer-managed
 * key, its VPC (flow logs under that key) and, in the primary region, the encrypted backup bucket.
 * The single-region program (tiers 0-2) and each tier-3 `Region` build it with this one function.
 */
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "./backupBucket";
import { EncryptionKey } from "./encryptionKey";
import { Network } from "./network";

export interface RegionBaseArgs<WithBackups extends boolean = boolean> {
    /** Resource names of the three pieces. */
    names: { key: string; network: string; backups: string };
    project: string;
    stack: string;
    region: string;
    /** VPC range of the region (see tier3's regionCidr). */
    cidrBlock: string;
    availabilityZones: number;
    natGateways: number;
    /** Whether the region holds the backup bucket (the primary region). */
    backups: WithBackups;
    /** Production buckets are never force-destroyed. */
    production: boolean;
    /** Tags of each piece. */
    tags: { key: Record<string, string>; network: Record<string, string>; backups: Record<string, string> };
}

export interface RegionBase<WithBackups extends boolean = boolean> {
    key: EncryptionKey;
    network: Network;
    /** The backup bucket, where the region holds it. */
    backups: WithBackups extends true ? BackupBucket : BackupBucket | undefined;
}

export function regionBase<WithBackups extends boolean>(args: RegionBaseArgs<WithBackups>, opts: pulumi.ComponentResourceOptions): RegionBase<WithBackups> {
    const prefix = `${args.project}-${args.stack}-${args.region}`;
    const key = new EncryptionKey(args.names.key, { description: `Platform data of ${args.project}/${args.stack} in ${args.region}`, alias: prefix, tags: args.tags.key }, opts);
    const network = new Network(
        args.names.network,
        {
            cidrBlock: args.cidrBlock,
            availabilityZones: args.availabilityZones,
            natGateways: args.natGateways,
            flowLogsKmsKeyArn: key.arn,
            tags: args.tags.network,
            namePrefix: prefix,
        },
        opts,
    );
    const backups = args.backups ? new BackupBucket(args.names.backups, { kmsKeyArn: key.arn, forceDestroy: !args.production, tags: args.tags.backups }, opts) : undefined;
    return { key, network, backups } as RegionBase<WithBackups>;
}
