/**
 * CrossRegionReplication: the primary region's backup bucket replicated to a bucket in each
 * secondary region (seed 003 "cross-region backup replication"). Replicas are encrypted with the
 * destination region's own KMS key; everything is tagged with the OTP gate that guards
 * cross-region data movement.
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ROLE, TAG } from "../../contract/markers";
import { OtpGate } from "../shared/otpGate";
import { assumeRolePolicy } from "../tier2/iam";
import { replicationRolePolicy, replicationRules } from "./replicationPolicy";

export interface ReplicationSource {
    region: string;
    bucketId: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    /** Key that encrypts the source objects. */
    kmsKeyArn: pulumi.Input<string>;
    provider: aws.Provider;
    /** Resources the replication must wait for (the bucket's versioning). */
    dependsOn?: pulumi.Resource[];
}

export interface ReplicationDestination {
    region: string;
    /** The destination region's key; replicas are encrypted with it. */
    kmsKeyArn: pulumi.Input<string>;
    provider: aws.Provider;
}

export interface CrossRegionReplicationArgs {
    source: ReplicationSource;
    destinations: ReplicationDestination[];
    /** Gate guarding cross-region data movement; its name is tagged on every resource. */
    otpGate: OtpGate;
    /** Tags (project, stack, tier). */
    tags: Record<string, pulumi.Input<string>>;
}

export class CrossRegionReplication extends pulumi.ComponentResource {
    /** Replica bucket name per destination region. */
    readonly replicaBuckets: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: CrossRegionReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier3:CrossRegionReplication", name, {}, opts);
        if (args.destinations.length === 0) {
            throw new Error(`CrossRegionReplication "${name}": no destination regions; list at least one secondary region`);
        }
        const tags = { ...args.tags, [TAG.role]: ROLE.crossRegionReplication, [TAG.otpGate]: args.otpGate.gateName };
        this.replicaBuckets = {};
        const targets = args.destinations.map((destination) => {
            const bucket = this.replicaBucket(`${name}-${destination.region}`, destination, { ...tags, [TAG.region]: destination.region });
            this.replicaBuckets[destination.region] = bucket.bucket.bucket;
            return { region: destination.region, bucketArn: bucket.bucket.arn, kmsKeyArn: destination.kmsKeyArn, ready: bucket.versioning };
        });

        const inSource = { parent: this, provider: args.source.provider };
        const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: assumeRolePolicy("s3.amazonaws.com"), tags: { ...tags, [TAG.region]: args.source.region } }, inSource);
        const resolvedTargets = pulumi
            .all(targets.map((t) => pulumi.all([t.bucketArn, t.kmsKeyArn]).apply(([bucketArn, kmsKeyArn]) => ({ region: t.region, bucketArn, kmsKeyArn }))))
            .apply((list) => list);
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([args.source.bucketArn, args.source.kmsKeyArn, resolvedTargets])
                    .apply(([bucketArn, keyArn, list]) => replicationRolePolicy(bucketArn, keyArn, list)),
            },
            inSource,
        );
        new aws.s3.BucketReplicationConfig(
            `${name}-config`,
            { bucket: args.source.bucketId, role: role.arn, rules: resolvedTargets.apply(replicationRules) },
            { ...inSource, dependsOn: [rolePolicy, ...targets.map((t) => t.ready), ...(args.source.dependsOn ?? [])] },
        );
        this.registerOutputs({ replicaBuckets: this.replicaBuckets });
    }

    /** An encrypted, versioned, private bucket in the destination region. */
    private replicaBucket(name: string, destination: ReplicationDestination, tags: Record<string, pulumi.Input<string>>) {
        const options = { parent: this, provider: destination.provider };
        const bucket = new aws.s3.Bucket(name, { tags }, options);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: destination.kmsKeyArn }, bucketKeyEnabled: true }] },
            options,
        );
        const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, options);
        new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            options,
        );
        return { bucket, versioning };
    }
}
