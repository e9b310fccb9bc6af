/** IAM documents and managed policies of the EKS cluster and its nodes (pure data). */

/** Trust policy letting an AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}

const MANAGED = "arn:aws:iam::aws:policy";

/** The control plane's role. */
export const CLUSTER_ROLE_POLICIES = [`${MANAGED}/AmazonEKSClusterPolicy`] as const;

/**
 * The nodes' role: join the cluster, pod networking, pull images, SSM instead of SSH, and the
 * EBS CSI driver that creates the encrypted volumes of the StatefulSets.
 */
export const NODE_ROLE_POLICIES = [
    `${MANAGED}/AmazonEKSWorkerNodePolicy`,
    `${MANAGED}/AmazonEKS_CNI_Policy`,
    `${MANAGED}/AmazonEC2ContainerRegistryReadOnly`,
    `${MANAGED}/AmazonSSMManagedInstanceCore`,
    `${MANAGED}/service-role/AmazonEBSCSIDriverPolicy`,
] as const;

/** Short resource-name suffix of a managed policy ARN, e.g. "AmazonEKSWorkerNodePolicy". */
export function policySuffix(arn: string): string {
    return arn.slice(arn.lastIndexOf("/") + 1);
}

/** Lets the nodes' EBS CSI driver create and attach volumes encrypted with the customer-managed key. */
export function volumeKeyPolicy(kmsKeyArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
                Resource: kmsKeyArn,
            },
        ],
    });
}
