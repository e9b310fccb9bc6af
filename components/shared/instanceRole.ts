/**
 * IAM role + instance profile of the platform's EC2 hosts: Session Manager access instead of
 * SSH, read access to the rendered deployment files, and use of the stack's KMS key.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface InstanceRoleArgs {
    /** Bucket holding the rendered compose files (read-only access below `keyPrefix`). */
    bucketArn: pulumi.Input<string>;
    keyPrefix: string;
    kmsKeyArn: pulumi.Input<string>;
    /** Extra statements (e.g. swarm join-token parameters). */
    extraStatements?: pulumi.Input<object>[];
    tags: Record<string, string>;
}

export const SSM_MANAGED_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

export class InstanceRole extends pulumi.ComponentResource {
    readonly roleName: pulumi.Output<string>;
    readonly instanceProfileName: pulumi.Output<string>;
    readonly instanceProfileArn: pulumi.Output<string>;

    constructor(name: string, args: InstanceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:InstanceRole", name, {}, opts);
        const role = new aws.iam.Role(name, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: args.tags,
        }, { parent: this });
        new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: role.name, policyArn: SSM_MANAGED_POLICY }, { parent: this });
        new aws.iam.RolePolicy(`${name}-deploy`, {
            role: role.id,
            policy: pulumi
                .all([args.bucketArn, args.kmsKeyArn, pulumi.all(args.extraStatements ?? [])])
                .apply(([bucketArn, keyArn, extra]) => JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "ReadRenderedFiles", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucketArn}/${args.keyPrefix}*` },
                        { Sid: "UseStackKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: keyArn },
                        ...extra,
                    ],
                })),
        }, { parent: this });
        const profile = new aws.iam.InstanceProfile(name, { role: role.name, tags: args.tags }, { parent: this });

        this.roleName = role.name;
        this.instanceProfileName = profile.name;
        this.instanceProfileArn = profile.arn;
        this.registerOutputs({ roleName: this.roleName, instanceProfileArn: this.instanceProfileArn });
    }
}
