/**
 * A customer-managed KMS key with yearly rotation and an alias. Its key policy lets the account
 * manage the key through IAM and lets the AWS services that encrypt on the stack's behalf use it:
 * EC2 Auto Scaling (encrypted EBS of launch templates), CloudWatch Logs (flow logs) and
 * AWS Budgets (the encrypted alert topic).
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface EncryptionKeyArgs {
    /** What the key protects, shown in the KMS console. */
    description: string;
    /** Alias without the `alias/` prefix, e.g. "ai-platform-dev-us-west-2". */
    alias: string;
    /** Waiting period before a scheduled deletion, days (7-30; default 30 = the safest). */
    deletionWindowInDays?: number;
    /** Tags of the key. */
    tags?: Record<string, string>;
}

/** Key policy statements (pure, tested without the runtime). */
export function keyPolicy(accountId: string, partition: string, region: string): object {
    const account = `arn:${partition}:iam::${accountId}:root`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersThroughIam",
                Effect: "Allow",
                Principal: { AWS: account },
                Action: "kms:*",
                Resource: "*",
            },
            {
                // Condition instead of a principal: the service-linked role may not exist yet.
                Sid: "AutoScalingUsesKeyForEncryptedVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
                Resource: "*",
                Condition: {
                    StringEquals: { "kms:CallerAccount": accountId },
                    ArnLike: {
                        "aws:PrincipalArn": `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
                    },
                },
            },
            {
                Sid: "CloudWatchLogsEncryptsLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:*` } },
            },
            {
                Sid: "BudgetsPublishesToEncryptedTopic",
                Effect: "Allow",
                Principal: { Service: "budgets.amazonaws.com" },
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

export class EncryptionKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
    readonly keyArn: pulumi.Output<string>;
    readonly keyId: pulumi.Output<string>;
    /** Same as keyArn; satisfies the `{ arn }` key shape the tier-2 platform takes. */
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:EncryptionKey", name, {}, opts);

        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this });
        const policy = pulumi
            .all([identity.accountId, identity.arn, region.region])
            .apply(([accountId, callerArn, regionName]) =>
                JSON.stringify(keyPolicy(accountId, callerArn.split(":")[1] || "aws", regionName)),
            );

        this.key = new aws.kms.Key(
            name,
            {
                description: args.description,
                enableKeyRotation: true,
                deletionWindowInDays: args.deletionWindowInDays ?? 30,
                policy,
                tags: args.tags,
            },
            { parent: this },
        );
        this.alias = new aws.kms.Alias(name, { name: `alias/${args.alias}`, targetKeyId: this.key.keyId }, { parent: this });
        this.keyArn = this.key.arn;
        this.keyId = this.key.keyId;
        this.arn = this.key.arn;
        this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId });
    }
}
