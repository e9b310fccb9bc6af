/** IAM policy and replication rules of the S3 cross-region replication (pure). */

export interface ReplicationTarget {
    region: string;
    bucketArn: string;
    kmsKeyArn: string;
}

/** What S3 needs to read the source (decrypting with its key) and write each replica (encrypting with the destination key). */
export function replicationRolePolicy(sourceBucketArn: string, sourceKeyArn: string, targets: ReplicationTarget[]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceBucketArn },
            {
                Effect: "Allow",
                Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                Resource: `${sourceBucketArn}/*`,
            },
            {
                Effect: "Allow",
                Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                Resource: targets.map((t) => `${t.bucketArn}/*`),
            },
            { Effect: "Allow", Action: ["kms:Decrypt"], Resource: sourceKeyArn },
            { Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: targets.map((t) => t.kmsKeyArn) },
        ],
    });
}

/** One rule per destination: every object, KMS-encrypted objects included, re-encrypted with the destination key. */
export function replicationRules(targets: ReplicationTarget[]) {
    return targets.map((target, index) => ({
        id: `to-${target.region}`,
        priority: index + 1,
        status: "Enabled",
        filter: {},
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
            bucket: target.bucketArn,
            storageClass: "STANDARD_IA",
            encryptionConfiguration: { replicaKmsKeyId: target.kmsKeyArn },
        },
    }));
}
