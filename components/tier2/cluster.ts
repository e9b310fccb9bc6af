/**
 * EksCluster: the control plane (secrets encrypted with the region's KMS key, private endpoint,
 * control-plane logs) and the node groups `general` and `gpu` on launch templates with
 * encrypted volumes.
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { NodePoolConfig } from "../../contract/nodePools";
import { CLUSTER_ROLE_POLICIES, NODE_ROLE_POLICIES, assumeRolePolicy, policySuffix, volumeKeyPolicy } from "./iam";
import { eksKubeconfig } from "./kubeconfig";
import { NODE_VOLUME_GB, NodePoolName, nodeGroupSettings } from "./nodeGroups";
import { PlatformNetwork } from "./network";

/** Every control-plane log type, kept in CloudWatch for audits. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface EksClusterArgs {
    /** Kubernetes version, e.g. "1.31". */
    version: string;
    /** Region of the cluster (for the kubeconfig's token command). */
    region: string;
    network: PlatformNetwork;
    /** ARN of the KMS key that encrypts Kubernetes Secrets and node volumes. */
    kmsKeyArn: pulumi.Input<string>;
    /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private-only. */
    publicAccessCidrs: string[];
    /** Node pools (seed 002 section 3.3: general 3-10, gpu 0-3). */
    nodePools: Record<NodePoolName, NodePoolConfig>;
    /** Tags of every resource. */
    tags: Record<string, pulumi.Input<string>>;
}

export class EksCluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    /** Kubeconfig using `aws eks get-token`; secret because it names the endpoint and CA. */
    readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier2:EksCluster", name, {}, opts);
        const child = { parent: this };

        const clusterRole = this.role(`${name}-cluster-role`, "eks.amazonaws.com", CLUSTER_ROLE_POLICIES, args.tags);
        const nodeRole = this.role(`${name}-node-role`, "ec2.amazonaws.com", NODE_ROLE_POLICIES, args.tags);
        // The EBS CSI driver (running with the node role) creates volumes encrypted with the customer key.
        nodeRole.attachments.push(
            new aws.iam.RolePolicy(
                `${name}-node-role-kms`,
                { role: nodeRole.role.id, policy: pulumi.output(args.kmsKeyArn).apply(volumeKeyPolicy) },
                child,
            ),
        );

        const cluster = new aws.eks.Cluster(
            `${name}-cluster`,
            {
                version: args.version,
                roleArn: clusterRole.role.arn,
                vpcConfig: {
                    subnetIds: args.network.privateSubnetIds,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: args.publicAccessCidrs.length > 0,
                    ...(args.publicAccessCidrs.length > 0 ? { publicAccessCidrs: args.publicAccessCidrs } : {}),
                },
                encryptionConfig: { resources: ["secrets"], provider: { keyArn: args.kmsKeyArn } },
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true },
                tags: args.tags,
            },
            { ...child, dependsOn: clusterRole.attachments },
        );
        this.clusterName = cluster.name;

        const nodeGroups = (Object.keys(args.nodePools) as NodePoolName[]).map((pool) =>
            this.nodeGroup(name, pool, args, cluster, nodeRole),
        );

        // The EBS CSI driver provisions the StatefulSets' encrypted volumes (permissions on the node role).
        new aws.eks.Addon(
            `${name}-ebs-csi`,
            { clusterName: cluster.name, addonName: "aws-ebs-csi-driver", resolveConflictsOnCreate: "OVERWRITE", tags: args.tags },
            { ...child, dependsOn: nodeGroups },
        );

        this.kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
                .apply(([clusterName, endpoint, ca]) =>
                    eksKubeconfig({ clusterName, endpoint, certificateAuthority: ca?.data ?? "", region: args.region }),
                ),
        );
        this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig });
    }

    /** A role with its managed policies; dependents wait for the attachments, not just the role. */
    private role(name: string, service: string, policies: readonly string[], tags: Record<string, pulumi.Input<string>>): { role: aws.iam.Role; attachments: pulumi.Resource[] } {
        const role = new aws.iam.Role(name, { assumeRolePolicy: assumeRolePolicy(service), tags }, { parent: this });
        const attachments = policies.map(
            (policyArn) => new aws.iam.RolePolicyAttachment(`${name}-${policySuffix(policyArn)}`, { role: role.name, policyArn }, { parent: this }),
        );
        return { role, attachments };
    }

    private nodeGroup(name: string, pool: NodePoolName, args: EksClusterArgs, cluster: aws.eks.Cluster, nodeRole: { role: aws.iam.Role; attachments: pulumi.Resource[] }): aws.eks.NodeGroup {
        const settings = nodeGroupSettings(pool, args.nodePools[pool]);
        // The template and its node group share a Name tag, so the cost model can pair them during
        // a preview, when the template id the node group references is not known yet.
        const pairedTags = { ...args.tags, Name: `${name}-${pool}` };
        const template = new aws.ec2.LaunchTemplate(
            `${name}-${pool}-template`,
            {
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: NODE_VOLUME_GB[pool],
                            volumeType: "gp3",
                            encrypted: "true",
                            kmsKeyId: args.kmsKeyArn,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                // IMDSv2 only; hop limit 2 lets pods on the node reach it through the CNI.
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 2 },
                tagSpecifications: [
                    { resourceType: "instance", tags: args.tags },
                    { resourceType: "volume", tags: args.tags },
                ],
                tags: pairedTags,
            },
            { parent: this },
        );
        return new aws.eks.NodeGroup(
            `${name}-${pool}-nodes`,
            {
                clusterName: cluster.name,
                nodeGroupName: pool,
                nodeRoleArn: nodeRole.role.arn,
                subnetIds: args.network.privateSubnetIds,
                scalingConfig: settings.scalingConfig,
                instanceTypes: settings.instanceTypes,
                amiType: settings.amiType,
                labels: settings.labels,
                taints: settings.taints,
                launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
                updateConfig: { maxUnavailable: 1 },
                tags: pairedTags,
            },
            { parent: this, dependsOn: nodeRole.attachments },
        );
    }
}
