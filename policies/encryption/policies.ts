/** The rules of the encryption pack (at rest and in transit). */
import { Policies } from "@pulumi/policy";
import { clusterSecretsEncrypted } from "./rules/aws/eks/clusterSecretsEncrypted";
import { instanceVolumesEncrypted } from "./rules/aws/ec2/instanceVolumesEncrypted";
import { launchTemplateBlockDevicesEncrypted } from "./rules/aws/ec2/launchTemplateBlockDevicesEncrypted";
import { volumeEncryptedWithKms } from "./rules/aws/ebs/volumeEncryptedWithKms";
import { replicationGroupEncryptedAtRest } from "./rules/aws/elasticache/replicationGroupEncryptedAtRest";
import { replicationGroupEncryptedInTransit } from "./rules/aws/elasticache/replicationGroupEncryptedInTransit";
import { replicationGroupHasAuthToken } from "./rules/aws/elasticache/replicationGroupHasAuthToken";
import { keyRotationEnabled } from "./rules/aws/kms/keyRotationEnabled";
import { crossRegionListenerTls13Only } from "./rules/aws/lb/crossRegionListenerTls13Only";
import { listenerHttpsWithModernTls } from "./rules/aws/lb/listenerHttpsWithModernTls";
import { clusterStorageEncrypted } from "./rules/aws/rds/clusterStorageEncrypted";
import { instanceStorageEncrypted } from "./rules/aws/rds/instanceStorageEncrypted";
import { bucketServerSideEncryptionWithKms } from "./rules/aws/s3/bucketServerSideEncryptionWithKms";
import { bucketsHaveKmsEncryptionConfiguration } from "./rules/aws/s3/bucketsHaveKmsEncryptionConfiguration";
import { bucketsHavePublicAccessBlock } from "./rules/aws/s3/bucketsHavePublicAccessBlock";
import { secretUsesCustomerManagedKey } from "./rules/aws/secretsmanager/secretUsesCustomerManagedKey";
import { secureParameterUsesCustomerManagedKey } from "./rules/aws/ssm/secureParameterUsesCustomerManagedKey";
import { overlayNetworksEncrypted } from "./rules/docker/compose/overlayNetworksEncrypted";
import { ingressControllerTlsFloor } from "./rules/kubernetes/networking/ingressControllerTlsFloor";
import { ingressHasTls } from "./rules/kubernetes/networking/ingressHasTls";
import { ingressTlsSecretIssued } from "./rules/kubernetes/networking/ingressTlsSecretIssued";
import { storageClassEncrypted } from "./rules/kubernetes/storage/storageClassEncrypted";

export const encryptionPolicies: Policies = [
    bucketServerSideEncryptionWithKms,
    bucketsHaveKmsEncryptionConfiguration,
    bucketsHavePublicAccessBlock,
    volumeEncryptedWithKms,
    launchTemplateBlockDevicesEncrypted,
    instanceVolumesEncrypted,
    instanceStorageEncrypted,
    clusterStorageEncrypted,
    replicationGroupEncryptedAtRest,
    replicationGroupEncryptedInTransit,
    replicationGroupHasAuthToken,
    clusterSecretsEncrypted,
    secretUsesCustomerManagedKey,
    secureParameterUsesCustomerManagedKey,
    keyRotationEnabled,
    listenerHttpsWithModernTls,
    crossRegionListenerTls13Only,
    ingressHasTls,
    ingressTlsSecretIssued,
    ingressControllerTlsFloor,
    storageClassEncrypted,
    overlayNetworksEncrypted,
];
