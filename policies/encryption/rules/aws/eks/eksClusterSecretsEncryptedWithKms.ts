import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, list, read } from "../../../../shared/props";

export const eksClusterSecretsEncryptedWithKms: ResourceValidationPolicy = {
    name: "eks-cluster-secrets-encrypted-with-kms",
    description: "Every EKS cluster (aws.eks.Cluster) sets encryptionConfig with resources containing \"secrets\" and provider.keyArn set (envelope encryption of Kubernetes Secrets with a customer managed key).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "EKS", "Kubernetes secrets (not covered by awsguard)"],
    validateResource: validateResourceOfType(aws.eks.Cluster, (cluster, _args, reportViolation) => {
        const config = read(cluster, "encryptionConfig");
        if (config === undefined) {
            reportViolation("Kubernetes Secrets are stored without envelope encryption: set encryptionConfig { resources: [\"secrets\"], provider: { keyArn: <key ARN> } }.");
            return;
        }
        if (!list(config, "resources").includes("secrets")) {
            reportViolation("encryptionConfig.resources does not include \"secrets\": add it.");
        }
        if (!isSet(config, "provider", "keyArn")) {
            reportViolation("encryptionConfig.provider.keyArn is not set: set it to a customer managed KMS key ARN.");
        }
    }),
};
