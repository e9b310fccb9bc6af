import { aws, k8s } from "../../../shared/resourceClasses";
import { StackValidationPolicy } from "@pulumi/policy";
import { gateSecretsIn } from "../../../shared/gate";
import { isSet, list, read, regionOf, usesCustomerManagedKey } from "../../../shared/props";
import { typeToken } from "../../../shared/types";

/**
 * The seed of a Kubernetes gate Secret is protected by the cluster's envelope encryption; an
 * existing cluster's settings are outside the stack, so only declared EKS clusters are checked.
 */
export const otpGateSecretEncryptedWithCustomerManagedKey: StackValidationPolicy = {
    name: "otp-gate-secret-encrypted-with-customer-managed-key",
    description:
        "Every Secrets Manager gate secret (role otp-gate-secret) sets a customer managed kmsKeyId; for every Kubernetes gate Secret, each EKS cluster the stack declares in the Secret's region has encryptionConfig covering \"secrets\" with a provider.keyArn.",
    enforcementLevel: "advisory",
    severity: "critical",
    tags: ["OTP gate", "encryption at rest"],
    validateStack: (args, reportViolation) => {
        const clusters = args.resources.filter((r) => r.type === typeToken(aws.eks.Cluster));
        for (const secret of gateSecretsIn(args.resources)) {
            if (secret.type === typeToken(aws.secretsmanager.Secret)) {
                if (!usesCustomerManagedKey(secret.props, "kmsKeyId")) {
                    reportViolation(`OTP gate secret ${secret.name} uses the AWS managed key: set kmsKeyId to a customer managed KMS key ARN.`, secret.urn);
                }
                continue;
            }
            if (secret.type !== typeToken(k8s.core.v1.Secret)) {
                continue;
            }
            const region = regionOf(secret.props);
            for (const cluster of clusters.filter((c) => region === undefined || regionOf(c.props) === undefined || regionOf(c.props) === region)) {
                const config = read(cluster.props, "encryptionConfig");
                if (!list(config, "resources").includes("secrets") || !isSet(config, "provider", "keyArn")) {
                    reportViolation(`OTP gate Secret ${secret.name} lives in EKS cluster ${cluster.name}, which does not envelope-encrypt Secrets: set encryptionConfig { resources: ["secrets"], provider: { keyArn } } on the cluster.`, secret.urn);
                }
            }
        }
    },
};
