/**
 * What the two compose-based tiers (0: one host, 1: Docker Swarm) share: their common inputs, and
 * the encrypted S3 object holding the rendered compose file, tagged so the policies can read it
 * (policies/shared/compose.ts looks for `TAG.role = ROLE.composeFile`).
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServiceCatalog } from "../../contract/catalog";
import { DockerNodeGroup, formatDockerNodes, ROLE, TAG } from "../../contract/markers";

/** The VPC a compose tier runs in (the shared Network's outputs). */
export interface ComposeTierNetwork {
    vpcId: pulumi.Input<string>;
    vpcCidr: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

export interface ComposeTierArgs {
    catalog: ServiceCatalog;
    /** Project name (compose project / swarm stack name). */
    project: string;
    region: string;
    /** Customer-managed key for volumes, parameters and the compose object. */
    kmsKeyArn: pulumi.Input<string>;
    /** Bucket (name and ARN) that stores the rendered compose file. */
    bucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    certificateArn: pulumi.Input<string>;
    /** Alias record for the domain, when given. */
    dns?: { zoneId: pulumi.Input<string>; name: string };
    tags: Record<string, string>;
}

/**
 * The rendered compose file as an SSE-KMS object in the tier's bucket, marked for the policies:
 * its role, and the Docker nodes it runs on (the host-fit rules size it against them).
 */
export function storeComposeFile(
    name: string,
    args: {
        bucket: pulumi.Input<string>;
        key: string;
        content: string;
        kmsKeyArn: pulumi.Input<string>;
        /** The single host, or the swarm's managers and workers at their minimum count. */
        nodes: DockerNodeGroup[];
        tags: Record<string, string>;
    },
    opts: pulumi.CustomResourceOptions,
): aws.s3.BucketObjectv2 {
    return new aws.s3.BucketObjectv2(name, {
        bucket: args.bucket,
        key: args.key,
        content: args.content,
        contentType: "application/yaml",
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.kmsKeyArn,
        tags: { ...args.tags, [TAG.role]: ROLE.composeFile, [TAG.dockerNodes]: formatDockerNodes(args.nodes) },
    }, opts);
}
