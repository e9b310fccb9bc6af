import { k8s } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, read } from "../../../../shared/props";

/** Provisioners of AWS EBS volumes, which take a KMS key. */
const EBS_PROVISIONERS = new Set(["ebs.csi.aws.com", "kubernetes.io/aws-ebs"]);

export const kubernetesStorageClassEncrypted: ResourceValidationPolicy = {
    name: "kubernetes-storage-class-encrypted",
    description:
        "Every StorageClass (storage.k8s.io/v1) sets parameters.encrypted = \"true\"; an EBS StorageClass (provisioner ebs.csi.aws.com or kubernetes.io/aws-ebs) also sets parameters.kmsKeyId.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "Kubernetes", "persistent volumes"],
    validateResource: validateResourceOfType(k8s.storage.v1.StorageClass, (storageClass, _args, reportViolation) => {
        const provisioner = read(storageClass, "provisioner");
        if (read(storageClass, "parameters", "encrypted") !== "true") {
            reportViolation(`Volumes of this StorageClass (${provisioner}) are not encrypted: set parameters.encrypted: "true".`);
        } else if (EBS_PROVISIONERS.has(provisioner) && !isSet(storageClass, "parameters", "kmsKeyId")) {
            reportViolation("EBS volumes of this StorageClass use the AWS managed key: set parameters.kmsKeyId to a customer managed key ARN.");
        }
    }),
};
