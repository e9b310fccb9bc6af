/**
 * Where StatefulSet volumes come from. On AWS the workloads declare their own StorageClass that
 * encrypts every EBS volume with the customer-managed key; on an existing cluster they use a class
 * the cluster already has (whose encryption is the cluster owner's promise).
 */
import * as pulumi from "@pulumi/pulumi";

export type StorageChoice =
    | {
          kind: "aws-ebs";
          /** ARN of the KMS key that encrypts every volume. */
          kmsKeyArn: pulumi.Input<string>;
      }
    | {
          kind: "existing";
          /** Name of an existing StorageClass that encrypts its volumes. */
          className: string;
      };

/** Name of the StorageClass the workloads declare on AWS. */
export const ENCRYPTED_EBS_CLASS = "encrypted-gp3";

/** EBS CSI driver provisioner. */
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";

/** Parameters of the encrypted EBS class (the KMS key is added by the component). */
export function ebsStorageClassParameters(kmsKeyArn: string): Record<string, string> {
    return { type: "gp3", encrypted: "true", kmsKeyId: kmsKeyArn };
}
