/** What the tier-2 platform needs from a VPC and a key (BASE's Network and EncryptionKey satisfy these). */
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
