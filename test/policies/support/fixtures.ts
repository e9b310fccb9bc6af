/**
 * Valid resource inputs, one per resource type, shaped like what the components declare. Each
 * rule test takes the valid fixture (silent) and changes one property (fires).
 */
import { ANNOTATION, LABEL, OTP_SEED_KEY, PAYLOAD_KEY_KEY, ROLE, SYNC_ENV, TAG } from "../../../contract/markers";

export const KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/primary";

export const T = {
    bucket: "aws:s3/bucketV2:BucketV2",
    bucketV7: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    volume: "aws:ebs/volume:Volume",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    rds: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    globalCache: "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
    eks: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    asg: "aws:autoscaling/group:Group",
    smSecret: "aws:secretsmanager/secret:Secret",
    ssm: "aws:ssm/parameter:Parameter",
    kms: "aws:kms/key:Key",
    listener: "aws:lb/listener:Listener",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    record: "aws:route53/record:Record",
    nat: "aws:ec2/natGateway:NatGateway",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    secret: "kubernetes:core/v1:Secret",
    namespace: "kubernetes:core/v1:Namespace",
    limitRange: "kubernetes:core/v1:LimitRange",
    quota: "kubernetes:core/v1:ResourceQuota",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
} as const;

export const bucketProps = () => ({ bucket: "ai-platform-backups", tags: { [TAG.region]: "us-west-2" } });
export const sseProps = (bucketRef = "backups-id") => ({
    bucket: bucketRef,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }],
});
export const pabProps = (bucketRef = "backups-id") => ({ bucket: bucketRef, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
export const volumeProps = () => ({ availabilityZone: "us-west-2a", size: 100, type: "gp3", encrypted: true, kmsKeyId: KEY_ARN });
export const launchTemplateProps = () => ({
    name: "swarm-workers",
    instanceType: "t3.large",
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", kmsKeyId: KEY_ARN } }],
});
export const instanceProps = () => ({
    instanceType: "t3.medium",
    ami: "ami-0mock",
    rootBlockDevice: { volumeSize: 30, volumeType: "gp3", encrypted: true, kmsKeyId: KEY_ARN },
    ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 100, volumeType: "gp3", encrypted: true, kmsKeyId: KEY_ARN }],
});
export const rdsProps = () => ({ engine: "postgres", instanceClass: "db.r5.2xlarge", allocatedStorage: 100, storageType: "gp3", storageEncrypted: true, kmsKeyId: KEY_ARN, multiAz: false });
export const rdsClusterProps = () => ({ engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY_ARN });
export const cacheProps = () => ({
    description: "redis",
    engine: "redis",
    nodeType: "cache.r5.large",
    numCacheClusters: 3,
    atRestEncryptionEnabled: true,
    kmsKeyId: KEY_ARN,
    transitEncryptionEnabled: true,
    authToken: "s3cret-token-from-random",
});
export const eksProps = () => ({ roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["a", "b"] }, encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY_ARN } } });
export const smSecretProps = () => ({ description: "db password", kmsKeyId: KEY_ARN });
export const ssmProps = () => ({ name: "/ai-platform/db-password", type: "SecureString", value: "x", keyId: KEY_ARN });
export const kmsProps = () => ({ description: "stack key", enableKeyRotation: true });
export const listenerProps = () => ({
    loadBalancerArn: "arn:aws:lb:us-west-2:123456789012:public-lb",
    port: 443,
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/abc",
    defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
});
export const ingressProps = () => ({
    metadata: { name: "web", namespace: "ai-platform" },
    spec: { tls: [{ hosts: ["ai.example.com"], secretName: "web-tls" }], rules: [{ host: "ai.example.com", http: { paths: [] } }] },
});
export const storageClassProps = () => ({ metadata: { name: "encrypted-gp3" }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY_ARN } });

export const COMPOSE_YAML = `
services:
  backend:
    image: sutazai/backend:1.0
    deploy:
      replicas: 3
      resources:
        limits: { cpus: "2", memory: 2g }
        reservations: { cpus: "0.5", memory: 1g }
networks:
  backplane:
    driver: overlay
    driver_opts:
      encrypted: "true"
`;
export const composeObjectProps = (content = COMPOSE_YAML) => ({ bucket: "ai-platform-deploy", key: "compose/docker-compose.yml", content, tags: { [TAG.role]: ROLE.composeFile } });

/** A container as the components declare it: requests and limits, a read-only root, distinct readiness and liveness checks. */
export const container = () => ({
    name: "backend",
    image: "sutazai/backend:1.0",
    resources: {
        requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "512Mi" },
        limits: { cpu: "2", memory: "2Gi", "ephemeral-storage": "2Gi" },
    },
    readinessProbe: { httpGet: { path: "/health", port: 8000 }, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: 8000 }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 3 },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
});
/** Spread of the backend's replicas over nodes and zones, as components/kubernetes/spread.ts declares it. */
export const backendSpread = () => [
    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "backend" } }, nodeTaintsPolicy: "Honor" },
    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "backend" } }, nodeTaintsPolicy: "Honor" },
];
export const deploymentProps = () => ({
    metadata: { name: "backend", namespace: "ai-platform", labels: { [LABEL.region]: "us-west-2" } },
    spec: {
        replicas: 3,
        selector: { matchLabels: { app: "backend" } },
        template: {
            metadata: { labels: { app: "backend" } },
            spec: { containers: [container()], volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }], topologySpreadConstraints: backendSpread() },
        },
    },
});
export const pdbProps = () => ({
    metadata: { name: "backend", namespace: "ai-platform" },
    spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: { app: "backend" } } },
});

export const GATE = "sync-gate";
export const GATE_SECRET = "otp-gate-sync-gate";
export const SYNC_GATE_DIR = "/var/run/secrets/ai-platform/otp-gate";
export const SYNC_TLS_DIR = "/var/run/secrets/ai-platform/tls";
export const SYNC_TLS_SECRET = "cross-region-sync-tls";
/** A gated sync workload as the service needs it: seed and payload key as 0400 files of the gate's Secret, TLS 1.3, certificate from a Secret. */
export const syncDeploymentProps = () => ({
    metadata: { name: "state-sync", namespace: "ai-platform", labels: { [LABEL.role]: ROLE.crossRegionSync }, annotations: { [ANNOTATION.otpGate]: GATE } },
    spec: {
        replicas: 1,
        selector: { matchLabels: { app: "state-sync" } },
        template: {
            metadata: { labels: { app: "state-sync", [LABEL.role]: ROLE.crossRegionSync } },
            spec: {
                containers: [
                    {
                        ...container(),
                        name: "sync",
                        env: [
                            { name: SYNC_ENV.seedFile, value: `${SYNC_GATE_DIR}/${OTP_SEED_KEY}` },
                            { name: SYNC_ENV.payloadKeyFile, value: `${SYNC_GATE_DIR}/${PAYLOAD_KEY_KEY}` },
                            { name: SYNC_ENV.tlsMinVersion, value: "1.3" },
                            { name: SYNC_ENV.tlsCertFile, value: `${SYNC_TLS_DIR}/tls.crt` },
                            { name: SYNC_ENV.tlsKeyFile, value: `${SYNC_TLS_DIR}/tls.key` },
                        ],
                        volumeMounts: [
                            { name: "otp-gate", mountPath: SYNC_GATE_DIR, readOnly: true },
                            { name: "tls", mountPath: SYNC_TLS_DIR, readOnly: true },
                        ],
                    },
                ],
                volumes: [
                    {
                        name: "otp-gate",
                        secret: { secretName: GATE_SECRET, defaultMode: 0o400, items: [OTP_SEED_KEY, PAYLOAD_KEY_KEY].map((key) => ({ key, path: key })) },
                    },
                    { name: "tls", secret: { secretName: SYNC_TLS_SECRET, defaultMode: 0o400 } },
                ],
            },
        },
    },
});
export const gateSecretProps = () => ({
    metadata: { name: GATE_SECRET, namespace: "ai-platform", labels: { [LABEL.role]: ROLE.otpGateSecret }, annotations: { [ANNOTATION.otpGate]: GATE } },
    type: "Opaque",
    stringData: { [OTP_SEED_KEY]: "JBSWY3DPEHPK3PXP", [PAYLOAD_KEY_KEY]: "payload-key-material-of-at-least-32-characters" },
});
export const gateSmSecretProps = () => ({ kmsKeyId: KEY_ARN, tags: { [TAG.role]: ROLE.otpGateSecret, [TAG.otpGate]: GATE } });
