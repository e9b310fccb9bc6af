/**
 * Which resource types cost nothing by themselves, and which are billed by usage that their
 * inputs do not size (listed in the estimate's `usageBased`, never counted as zero).
 */
import type { CostResource } from "./types";

/** Types that never cost money by themselves (identity, networking glue, configuration objects). */
const FREE_TYPES = new Set([
    "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/route:Route", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/keyPair:KeyPair",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2", "aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment", "aws:lb/listenerCertificate:ListenerCertificate",
    "aws:alb/targetGroup:TargetGroup", "aws:alb/listener:Listener", "aws:alb/listenerRule:ListenerRule",
    "aws:alb/targetGroupAttachment:TargetGroupAttachment",
    "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
    "aws:kms/alias:Alias", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/grant:Grant",
    "aws:secretsmanager/secretVersion:SecretVersion", "aws:secretsmanager/secretPolicy:SecretPolicy",
    "aws:secretsmanager/secretRotation:SecretRotation",
    "aws:eks/addon:Addon", "aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation", "aws:eks/identityProviderConfig:IdentityProviderConfig",
    "aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup", "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:elasticache/subnetGroup:SubnetGroup", "aws:elasticache/parameterGroup:ParameterGroup",
    "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup", "aws:elasticache/user:User", "aws:elasticache/userGroup:UserGroup",
    "aws:autoscaling/policy:Policy", "aws:autoscaling/attachment:Attachment", "aws:autoscaling/lifecycleHook:LifecycleHook",
    "aws:appautoscaling/target:Target", "aws:appautoscaling/policy:Policy",
    "aws:globalaccelerator/listener:Listener", "aws:globalaccelerator/endpointGroup:EndpointGroup",
    "aws:ec2/volumeAttachment:VolumeAttachment", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription",
    // The first two budgets of an account are free and budget alerts cost nothing.
    "aws:budgets/budget:Budget",
]);

/** Types billed by usage (storage, requests, traffic) that the inputs do not size. */
export const USAGE_BASED: Record<string, string> = {
    "aws:s3/bucket:Bucket": "S3 storage and requests are billed by usage; no size is declared",
    "aws:s3/bucketV2:BucketV2": "S3 storage and requests are billed by usage; no size is declared",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "replication traffic and replica storage are billed by usage",
    "aws:route53/record:Record": "DNS queries are billed by usage",
    "aws:cloudwatch/logGroup:LogGroup": "log ingestion and storage are billed by usage",
    // Aurora bills storage per GB-month actually used and I/O per request; the cluster declares no size.
    // Its instances (aws:rds/clusterInstance) are priced separately.
    "aws:rds/cluster:Cluster": "Aurora storage and I/O are billed by usage; the cluster declares no size",
    "aws:ec2/flowLog:FlowLog": "flow log delivery is billed by the volume of logs",
    "aws:sns/topic:Topic": "notifications are billed per message",
    "kubernetes:batch/v1:Job": "a Job runs to completion; its compute is billed only while it runs",
    "kubernetes:batch/v1:CronJob": "a CronJob runs on a schedule; its compute is billed only while it runs",
};

/**
 * True when the resource costs nothing by itself. `hasPriceRule` tells Kubernetes types that
 * provision capacity (and so have a price rule) from plain API objects.
 */
export function isFree(resource: CostResource, hasPriceRule: (type: string) => boolean): boolean {
    const { type } = resource;
    // Dynamic resources of the program (components/shared/privateCa.ts: certificates made in-process) cost nothing.
    if (resource.custom === false || type.startsWith("pulumi:") || type.startsWith("pulumi-nodejs:") || type.startsWith("random:") || type.startsWith("ai-platform:")) {
        return true;
    }
    if (type.startsWith("aws:iam/") || FREE_TYPES.has(type)) {
        return true;
    }
    // Kubernetes API objects cost nothing by themselves; those that provision capacity are priced
    // explicitly (workloads, PersistentVolumeClaims, LoadBalancer Services, Helm releases).
    return type.startsWith("kubernetes:") && !hasPriceRule(type) && !USAGE_BASED[type] && type !== "kubernetes:helm.sh/v3:Release";
}
