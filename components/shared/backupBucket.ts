/**
 * An S3 bucket for backups and rendered deployment files: SSE-KMS with the stack's key
 * (bucket keys on), versioning, all public access blocked, TLS-only access, old versions expired.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface BackupBucketArgs {
    /** Customer-managed KMS key that encrypts every object. */
    kmsKeyArn: pulumi.Input<string>;
    /** Days noncurrent object versions are kept (default 30, seed 003 "30-day retention"). */
    noncurrentVersionDays?: number;
    /** Allow deleting the bucket with its objects (dev stacks); default false. */
    forceDestroy?: boolean;
    tags: Record<string, string>;
}

export class BackupBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** Versioning must be on before replication can be configured. */
    readonly versioning: aws.s3.BucketVersioning;

    constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:BackupBucket", name, {}, opts);
        const bucket = new aws.s3.Bucket(name, { forceDestroy: args.forceDestroy ?? false, tags: args.tags }, { parent: this });
        new aws.s3.BucketServerSideEncryptionConfiguration(name, {
            bucket: bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                bucketKeyEnabled: true,
            }],
        }, { parent: this });
        this.versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
        new aws.s3.BucketPublicAccessBlock(name, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, { parent: this });
        new aws.s3.BucketPolicy(name, {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                }],
            })),
        }, { parent: this });
        new aws.s3.BucketLifecycleConfiguration(name, {
            bucket: bucket.id,
            rules: [{
                id: "expire-noncurrent-versions",
                status: "Enabled",
                filter: {},
                noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 30 },
            }],
        }, { parent: this });

        this.bucket = bucket;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
