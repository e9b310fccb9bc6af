/** The rules of the encryption pack (at rest and in transit). */
import { Policies } from "@pulumi/policy";
import { eksClusterSecretsEncryptedWithKms } from "./rules/aws/eks/eksClusterSecretsEncryptedWithKms";
import { instanceVolumesEncryptedWithCustomerManagedKey } from "./rules/aws/ec2/instanceVolumesEncryptedWithCustomerManagedKey";
import { launchTemplateVolumesEncryptedWithCustomerManagedKey } from "./rules/aws/ec2/launchTemplateVolumesEncryptedWithCustomerManagedKey";
import { ebsVolumeEncryptedWithCustomerManagedKey } from "./rules/aws/ebs/ebsVolumeEncryptedWithCustomerManagedKey";
import { elasticacheEncryptedAtRestWithCustomerManagedKey } from "./rules/aws/elasticache/elasticacheEncryptedAtRestWithCustomerManagedKey";
import { elasticacheEncryptedInTransit } from "./rules/aws/elasticache/elasticacheEncryptedInTransit";
import { elasticacheRequiresAuth } from "./rules/aws/elasticache/elasticacheRequiresAuth";
import { kmsKeyRotationEnabled } from "./rules/aws/kms/kmsKeyRotationEnabled";
import { crossRegionEndpointTls13Only } from "./rules/aws/lb/crossRegionEndpointTls13Only";
import { lbListenerTls12OrNewer } from "./rules/aws/lb/lbListenerTls12OrNewer";
import { rdsClusterStorageEncryptedWithCustomerManagedKey } from "./rules/aws/rds/rdsClusterStorageEncryptedWithCustomerManagedKey";
import { rdsInstanceStorageEncryptedWithCustomerManagedKey } from "./rules/aws/rds/rdsInstanceStorageEncryptedWithCustomerManagedKey";
import { s3BucketEncryptionUsesCustomerManagedKmsKey } from "./rules/aws/s3/s3BucketEncryptionUsesCustomerManagedKmsKey";
import { s3BucketsHaveEncryptionConfiguration } from "./rules/aws/s3/s3BucketsHaveEncryptionConfiguration";
import { s3BucketsBlockPublicAccess } from "./rules/aws/s3/s3BucketsBlockPublicAccess";
import { secretsmanagerSecretUsesCustomerManagedKey } from "./rules/aws/secretsmanager/secretsmanagerSecretUsesCustomerManagedKey";
import { ssmSecureParameterUsesCustomerManagedKey } from "./rules/aws/ssm/ssmSecureParameterUsesCustomerManagedKey";
import { swarmOverlayNetworksEncrypted } from "./rules/docker/compose/swarmOverlayNetworksEncrypted";
import { ingressControllerTls12OrNewer } from "./rules/kubernetes/networking/ingressControllerTls12OrNewer";
import { kubernetesIngressServesTls } from "./rules/kubernetes/networking/kubernetesIngressServesTls";
import { kubernetesIngressTlsSecretIssued } from "./rules/kubernetes/networking/kubernetesIngressTlsSecretIssued";
import { kubernetesStorageClassEncrypted } from "./rules/kubernetes/storage/kubernetesStorageClassEncrypted";

export const encryptionPolicies: Policies = [
    s3BucketEncryptionUsesCustomerManagedKmsKey,
    s3BucketsHaveEncryptionConfiguration,
    s3BucketsBlockPublicAccess,
    ebsVolumeEncryptedWithCustomerManagedKey,
    launchTemplateVolumesEncryptedWithCustomerManagedKey,
    instanceVolumesEncryptedWithCustomerManagedKey,
    rdsInstanceStorageEncryptedWithCustomerManagedKey,
    rdsClusterStorageEncryptedWithCustomerManagedKey,
    elasticacheEncryptedAtRestWithCustomerManagedKey,
    elasticacheEncryptedInTransit,
    elasticacheRequiresAuth,
    eksClusterSecretsEncryptedWithKms,
    secretsmanagerSecretUsesCustomerManagedKey,
    ssmSecureParameterUsesCustomerManagedKey,
    kmsKeyRotationEnabled,
    lbListenerTls12OrNewer,
    crossRegionEndpointTls13Only,
    kubernetesIngressServesTls,
    kubernetesIngressTlsSecretIssued,
    ingressControllerTls12OrNewer,
    kubernetesStorageClassEncrypted,
    swarmOverlayNetworksEncrypted,
];
