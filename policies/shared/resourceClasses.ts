/**
 * The SDK resource classes the rules check against, as stand-ins that carry only the class's
 * type token (`__pulumiType`, all that `validateResourceOfType`, `isType`, `asType` and
 * `typeToken` read) and are typed as the class itself, so the compiler still types each rule's
 * props from the SDK's args. A pack that imports `aws` and `k8s` from here loads neither
 * @pulumi/aws nor @pulumi/kubernetes at run time: about 430 modules and a third of a pack's
 * start-up. Paths mirror the SDKs (`aws.s3.Bucket`), and
 * test/policies/shared/resourceClasses.spec.ts checks every token against the real class.
 */
import type * as awsSdk from "@pulumi/aws";
import type * as k8sSdk from "@pulumi/kubernetes";

/** A stand-in for the SDK class `C` whose type token is `token`. */
function sdkClass<C>(token: string): C {
    return Object.freeze({ __pulumiType: token }) as unknown as C;
}

export const aws = {
    alb: {
        Listener: sdkClass<typeof awsSdk.alb.Listener>("aws:alb/listener:Listener"),
        LoadBalancer: sdkClass<typeof awsSdk.alb.LoadBalancer>("aws:alb/loadBalancer:LoadBalancer"),
    },
    autoscaling: {
        Group: sdkClass<typeof awsSdk.autoscaling.Group>("aws:autoscaling/group:Group"),
    },
    ebs: {
        Volume: sdkClass<typeof awsSdk.ebs.Volume>("aws:ebs/volume:Volume"),
    },
    ec2: {
        Instance: sdkClass<typeof awsSdk.ec2.Instance>("aws:ec2/instance:Instance"),
        LaunchTemplate: sdkClass<typeof awsSdk.ec2.LaunchTemplate>("aws:ec2/launchTemplate:LaunchTemplate"),
    },
    eks: {
        Cluster: sdkClass<typeof awsSdk.eks.Cluster>("aws:eks/cluster:Cluster"),
        NodeGroup: sdkClass<typeof awsSdk.eks.NodeGroup>("aws:eks/nodeGroup:NodeGroup"),
    },
    elasticache: {
        GlobalReplicationGroup: sdkClass<typeof awsSdk.elasticache.GlobalReplicationGroup>("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"),
        ReplicationGroup: sdkClass<typeof awsSdk.elasticache.ReplicationGroup>("aws:elasticache/replicationGroup:ReplicationGroup"),
    },
    kms: {
        Key: sdkClass<typeof awsSdk.kms.Key>("aws:kms/key:Key"),
    },
    lb: {
        Listener: sdkClass<typeof awsSdk.lb.Listener>("aws:lb/listener:Listener"),
        LoadBalancer: sdkClass<typeof awsSdk.lb.LoadBalancer>("aws:lb/loadBalancer:LoadBalancer"),
    },
    rds: {
        Cluster: sdkClass<typeof awsSdk.rds.Cluster>("aws:rds/cluster:Cluster"),
        GlobalCluster: sdkClass<typeof awsSdk.rds.GlobalCluster>("aws:rds/globalCluster:GlobalCluster"),
        Instance: sdkClass<typeof awsSdk.rds.Instance>("aws:rds/instance:Instance"),
    },
    route53: {
        Record: sdkClass<typeof awsSdk.route53.Record>("aws:route53/record:Record"),
    },
    s3: {
        Bucket: sdkClass<typeof awsSdk.s3.Bucket>("aws:s3/bucket:Bucket"),
        BucketObject: sdkClass<typeof awsSdk.s3.BucketObject>("aws:s3/bucketObject:BucketObject"),
        BucketObjectv2: sdkClass<typeof awsSdk.s3.BucketObjectv2>("aws:s3/bucketObjectv2:BucketObjectv2"),
        BucketPublicAccessBlock: sdkClass<typeof awsSdk.s3.BucketPublicAccessBlock>("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
        BucketReplicationConfig: sdkClass<typeof awsSdk.s3.BucketReplicationConfig>("aws:s3/bucketReplicationConfig:BucketReplicationConfig"),
        BucketServerSideEncryptionConfiguration: sdkClass<typeof awsSdk.s3.BucketServerSideEncryptionConfiguration>(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        ),
        BucketServerSideEncryptionConfigurationV2: sdkClass<typeof awsSdk.s3.BucketServerSideEncryptionConfigurationV2>(
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        ),
        BucketV2: sdkClass<typeof awsSdk.s3.BucketV2>("aws:s3/bucketV2:BucketV2"),
    },
    secretsmanager: {
        Secret: sdkClass<typeof awsSdk.secretsmanager.Secret>("aws:secretsmanager/secret:Secret"),
    },
    ssm: {
        Parameter: sdkClass<typeof awsSdk.ssm.Parameter>("aws:ssm/parameter:Parameter"),
    },
};

export const k8s = {
    apps: {
        v1: {
            DaemonSet: sdkClass<typeof k8sSdk.apps.v1.DaemonSet>("kubernetes:apps/v1:DaemonSet"),
            Deployment: sdkClass<typeof k8sSdk.apps.v1.Deployment>("kubernetes:apps/v1:Deployment"),
            StatefulSet: sdkClass<typeof k8sSdk.apps.v1.StatefulSet>("kubernetes:apps/v1:StatefulSet"),
        },
    },
    autoscaling: {
        v1: {
            HorizontalPodAutoscaler: sdkClass<typeof k8sSdk.autoscaling.v1.HorizontalPodAutoscaler>("kubernetes:autoscaling/v1:HorizontalPodAutoscaler"),
        },
        v2: {
            HorizontalPodAutoscaler: sdkClass<typeof k8sSdk.autoscaling.v2.HorizontalPodAutoscaler>("kubernetes:autoscaling/v2:HorizontalPodAutoscaler"),
        },
    },
    batch: {
        v1: {
            CronJob: sdkClass<typeof k8sSdk.batch.v1.CronJob>("kubernetes:batch/v1:CronJob"),
            Job: sdkClass<typeof k8sSdk.batch.v1.Job>("kubernetes:batch/v1:Job"),
        },
    },
    core: {
        v1: {
            LimitRange: sdkClass<typeof k8sSdk.core.v1.LimitRange>("kubernetes:core/v1:LimitRange"),
            Namespace: sdkClass<typeof k8sSdk.core.v1.Namespace>("kubernetes:core/v1:Namespace"),
            Pod: sdkClass<typeof k8sSdk.core.v1.Pod>("kubernetes:core/v1:Pod"),
            ResourceQuota: sdkClass<typeof k8sSdk.core.v1.ResourceQuota>("kubernetes:core/v1:ResourceQuota"),
            Secret: sdkClass<typeof k8sSdk.core.v1.Secret>("kubernetes:core/v1:Secret"),
        },
    },
    networking: {
        v1: {
            Ingress: sdkClass<typeof k8sSdk.networking.v1.Ingress>("kubernetes:networking.k8s.io/v1:Ingress"),
        },
    },
    policy: {
        v1: {
            PodDisruptionBudget: sdkClass<typeof k8sSdk.policy.v1.PodDisruptionBudget>("kubernetes:policy/v1:PodDisruptionBudget"),
        },
        v1beta1: {
            PodDisruptionBudget: sdkClass<typeof k8sSdk.policy.v1beta1.PodDisruptionBudget>("kubernetes:policy/v1beta1:PodDisruptionBudget"),
        },
    },
    storage: {
        v1: {
            StorageClass: sdkClass<typeof k8sSdk.storage.v1.StorageClass>("kubernetes:storage.k8s.io/v1:StorageClass"),
        },
    },
};
