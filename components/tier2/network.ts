/** What the tier-2 platform needs from a VPC and a key (the shared Network and EncryptionKey satisfy these). */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PlatformNetwork {
    vpcId: pulumi.Input<string>;
    /** CIDR of the VPC: the managed stores accept connections from it only. */
    vpcCidr: pulumi.Input<string>;
    /** Private subnets (one per zone) for nodes, database and cache. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

export interface PlatformKey {
    /** ARN of the customer-managed KMS key of the region. */
    arn: pulumi.Input<string>;
}

/** "prod" and "production" get the expensive guarantees (Multi-AZ, deletion protection). */
export function isProduction(environment: string): boolean {
    return environment === "prod" || environment === "production";
}

/** A security group that admits one TCP port from inside the VPC only (the managed stores). */
export function vpcOnlySecurityGroup(
    name: string,
    args: { network: PlatformNetwork; port: number; description: string; tags?: Record<string, pulumi.Input<string>> },
    opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        name,
        {
            vpcId: args.network.vpcId,
            description: args.description,
            ingress: [{ protocol: "tcp", fromPort: args.port, toPort: args.port, cidrBlocks: [args.network.vpcCidr] }],
            tags: args.tags,
        },
        opts,
    );
}
