/**
 * The one cost model of the project: estimates a stack's monthly and hourly cost from the
 * resources it declares (type + input properties), with an offline price table per region.
 * The cost-caps policy pack and the driver's review report both call `estimateCost`.
 *
 * Expected cost uses desired sizes (ASG desiredCapacity, node group desiredSize, workload
 * replicas); worst case uses maximum sizes (ASG maxSize, node group maxSize, HPA maxReplicas,
 * RDS maxAllocatedStorage). Resources that cost money but have no price rule or no price in the
 * table are listed in `unpriced`, never counted as zero; usage-billed resources (buckets, DNS
 * records, log groups, replication traffic) are listed in `usageBased`.
 */
import { LABEL, TAG } from "../../components/shared/markers";
import priceTable from "./prices.json";

export const HOURS_PER_MONTH = 730;

export interface CostResource {
    type: string;
    name: string;
    urn?: string;
    props: Record<string, any>;
    /** false for ComponentResources, which cost nothing themselves. */
    custom?: boolean;
}

export interface CostLine {
    urn: string;
    name: string;
    type: string;
    component: string;
    region: string;
    /** Price of one unit, in USD per `unit`. */
    unitPrice: number;
    unit: "hour" | "month" | "GB-month" | "vCPU-hour" | "GB-hour";
    /** Units in the expected case (instances, GB, vCPUs...). */
    quantity: number;
    quantityWorstCase: number;
    monthly: number;
    monthlyWorstCase: number;
    detail: string;
}

export interface UnpricedResource {
    urn: string;
    type: string;
    reason: string;
}

export interface CostTotals {
    monthlyExpected: number;
    monthlyWorstCase: number;
}

export interface CostEstimate {
    monthlyExpected: number;
    monthlyWorstCase: number;
    hourlyExpected: number;
    hourlyWorstCase: number;
    /** EC2 nodes (instances, ASG and node group members) in the expected and worst case. */
    nodes: { expected: number; worstCase: number };
    /** The same per region: each region runs its own cluster, and maxNodes bounds one cluster. */
    nodesByRegion: Record<string, { expected: number; worstCase: number }>;
    lines: CostLine[];
    byRegion: Record<string, CostTotals>;
    byComponent: Record<string, CostTotals>;
    /** The n most expensive lines, by expected monthly cost (worst case breaks ties). */
    topDrivers(n: number): CostLine[];
    unpriced: UnpricedResource[];
    usageBased: UnpricedResource[];
}

export interface EstimateOptions {
    /** Region of resources without a `TAG.region` tag / `LABEL.region` label. */
    defaultRegion: string;
}

export interface RegionPrices {
    name: string;
    ec2Hourly: Record<string, number>;
    rdsHourly: Record<string, number>;
    elasticacheHourly: Record<string, number>;
    eksControlPlaneHourly: number;
    natGatewayHourly: number;
    albHourly: number;
    nlbHourly: number;
    publicIpv4Hourly: number;
    ebsGbMonth: Record<string, number>;
    rdsStorageGbMonth: Record<string, number>;
    secretsManagerSecretMonthly: number;
    kmsKeyMonthly: number;
    s3StandardGbMonth: number;
    ssmAdvancedParameterMonthly: number;
    cloudwatchAlarmMonthly: number;
    kubernetesVcpuHourly: number;
    kubernetesGbHourly: number;
}

export interface PriceTable {
    hoursPerMonth: number;
    source: string;
    retrieved: string;
    global: {
        route53HostedZoneMonthly: number;
        route53HealthCheckMonthly: number;
        route53HealthCheckOptionalFeatureMonthly: number;
        globalAcceleratorHourly: number;
    };
    regions: Record<string, RegionPrices>;
}

export const PRICES: PriceTable = priceTable as PriceTable;

/** Region name used for global services (Route 53, Global Accelerator). */
export const GLOBAL_REGION = "global";

// ---------------------------------------------------------------------------------------------
// Reading inputs. Under a real preview, computed inputs throw when read; they count as absent.

function get(obj: unknown, ...path: Array<string | number>): any {
    let current: any = obj;
    for (const key of path) {
        if (current === undefined || current === null || typeof current !== "object") {
            return undefined;
        }
        try {
            current = current[key];
        } catch {
            return undefined;
        }
    }
    return current;
}

function num(value: unknown): number | undefined {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function arr(value: unknown): any[] {
    return Array.isArray(value) ? value : [];
}

function markers(props: Record<string, any>): Record<string, string> {
    return { ...(get(props, "metadata", "labels") ?? {}), ...(get(props, "tags") ?? {}) };
}

/** Kubernetes quantity to a number (cores or bytes); undefined when not a quantity. */
export function quantityToNumber(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value.trim());
    if (!m) {
        return undefined;
    }
    const factors: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
    return Number(m[1]) * factors[m[2] ?? ""];
}

// ---------------------------------------------------------------------------------------------
// Classification of types.

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
    "aws:rds/globalCluster:GlobalCluster", "aws:rds/cluster:Cluster",
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
const USAGE_BASED: Record<string, string> = {
    "aws:s3/bucket:Bucket": "S3 storage and requests are billed by usage; no size is declared",
    "aws:s3/bucketV2:BucketV2": "S3 storage and requests are billed by usage; no size is declared",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "replication traffic and replica storage are billed by usage",
    "aws:route53/record:Record": "DNS queries are billed by usage",
    "aws:cloudwatch/logGroup:LogGroup": "log ingestion and storage are billed by usage",
    "aws:ec2/flowLog:FlowLog": "flow log delivery is billed by the volume of logs",
    "aws:sns/topic:Topic": "notifications are billed per message",
    "kubernetes:batch/v1:Job": "a Job runs to completion; its compute is billed only while it runs",
    "kubernetes:batch/v1:CronJob": "a CronJob runs on a schedule; its compute is billed only while it runs",
};

function isFree(resource: CostResource): boolean {
    const { type } = resource;
    if (resource.custom === false || type.startsWith("pulumi:") || type.startsWith("random:") || type.startsWith("ai-platform:")) {
        return true;
    }
    if (type.startsWith("aws:iam/") || FREE_TYPES.has(type)) {
        return true;
    }
    // Kubernetes API objects cost nothing by themselves; those that provision capacity are priced
    // explicitly (workloads, PersistentVolumeClaims, LoadBalancer Services, Helm releases).
    return type.startsWith("kubernetes:") && !PRICERS[type] && !USAGE_BASED[type] && type !== "kubernetes:helm.sh/v3:Release";
}

// ---------------------------------------------------------------------------------------------
// Pricing of one resource.

interface LinePart {
    unitPrice: number;
    unit: CostLine["unit"];
    quantity: number;
    quantityWorstCase: number;
    detail: string;
}

interface Priced {
    parts: LinePart[];
    /** EC2 nodes this resource runs (instances, ASG/node group members). */
    nodes?: { expected: number; worstCase: number };
}

class NotPriced extends Error {}

interface PricingContext {
    resource: CostResource;
    region: string;
    prices: RegionPrices | undefined;
    all: CostResource[];
    /** Regions with priced EC2 node capacity (Kubernetes workloads there are already paid for). */
    nodeRegions: Set<string>;
    regionOf(resource: CostResource): string;
}

function regionPrices(ctx: PricingContext): RegionPrices {
    if (!ctx.prices) {
        throw new NotPriced(`region ${ctx.region} is not in the price table (priced: ${Object.keys(PRICES.regions).join(", ")})`);
    }
    return ctx.prices;
}

function lookup(table: Record<string, number>, key: unknown, what: string, region: string): number {
    const price = typeof key === "string" ? table[key] : undefined;
    if (price === undefined) {
        throw new NotPriced(`${what} ${JSON.stringify(key)} has no price for ${region}`);
    }
    return price;
}

function hourly(unitPrice: number, quantity: number, quantityWorstCase: number, detail: string): LinePart {
    return { unitPrice, unit: "hour", quantity, quantityWorstCase, detail };
}

function ebsPart(p: RegionPrices, sizeGb: number, volumeType: string | undefined, count: number, countWorst: number, label: string, region: string): LinePart {
    const type = volumeType ?? "gp2";
    const unitPrice = lookup(p.ebsGbMonth, type, "EBS volume type", region);
    return { unitPrice, unit: "GB-month", quantity: sizeGb * count, quantityWorstCase: sizeGb * countWorst, detail: `${label}: ${count === countWorst ? count : `${count}-${countWorst}`} x ${sizeGb} GB ${type}` };
}

/** EBS volumes of a launch template's block device mappings, for `count` instances. */
function launchTemplateVolumes(p: RegionPrices, template: CostResource | undefined, count: number, countWorst: number, region: string): LinePart[] {
    return arr(get(template?.props, "blockDeviceMappings"))
        .filter((m) => num(get(m, "ebs", "volumeSize")) !== undefined)
        .map((m) => ebsPart(p, num(get(m, "ebs", "volumeSize"))!, get(m, "ebs", "volumeType"), count, countWorst, `volume ${get(m, "deviceName") ?? ""}`.trim(), region));
}

/** The LaunchTemplate resource a `{ id, name }` reference points at (`<name>-id` is the offline mocks' id). */
function findLaunchTemplate(all: CostResource[], ref: { id?: unknown; name?: unknown }): CostResource | undefined {
    const templates = all.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
    return templates.find((t) => {
        const ids = [`${t.name}-id`, get(t.props, "id"), t.name, get(t.props, "name")].filter((x) => typeof x === "string");
        return (typeof ref.id === "string" && ids.includes(ref.id)) || (typeof ref.name === "string" && ids.includes(ref.name));
    });
}

function launchTemplateRef(props: Record<string, any>): { id?: unknown; name?: unknown } | undefined {
    const direct = get(props, "launchTemplate");
    if (direct) {
        return { id: get(direct, "id"), name: get(direct, "name") };
    }
    const spec = get(props, "mixedInstancesPolicy", "launchTemplate", "launchTemplateSpecification");
    return spec ? { id: get(spec, "launchTemplateId"), name: get(spec, "launchTemplateName") } : undefined;
}

/** HorizontalPodAutoscaler maxReplicas targeting a workload, if any. */
function hpaMaxReplicas(all: CostResource[], workload: CostResource): number | undefined {
    const name = get(workload.props, "metadata", "name") ?? workload.name;
    const namespace = get(workload.props, "metadata", "namespace") ?? "default";
    const kind = workload.type.split(":").pop();
    const hpa = all.find(
        (r) =>
            r.type.startsWith("kubernetes:autoscaling/") &&
            r.type.endsWith(":HorizontalPodAutoscaler") &&
            get(r.props, "spec", "scaleTargetRef", "name") === name &&
            get(r.props, "spec", "scaleTargetRef", "kind") === kind &&
            (get(r.props, "metadata", "namespace") ?? "default") === namespace,
    );
    return num(get(hpa?.props, "spec", "maxReplicas"));
}

function podSpec(resource: CostResource): any {
    return resource.type === "kubernetes:core/v1:Pod" ? get(resource.props, "spec") : get(resource.props, "spec", "template", "spec");
}

/** Sum of container CPU (cores) and memory (GB) requests of a pod, falling back to limits. */
function podRequests(spec: any): { cpu: number; memoryGb: number } {
    let cpu = 0;
    let memoryGb = 0;
    for (const c of arr(get(spec, "containers"))) {
        cpu += quantityToNumber(get(c, "resources", "requests", "cpu") ?? get(c, "resources", "limits", "cpu")) ?? 0;
        memoryGb += (quantityToNumber(get(c, "resources", "requests", "memory") ?? get(c, "resources", "limits", "memory")) ?? 0) / 2 ** 30;
    }
    return { cpu, memoryGb };
}

type Pricer = (ctx: PricingContext) => Priced;

const PRICERS: Record<string, Pricer> = {
    "aws:ec2/instance:Instance": (ctx) => {
        const p = regionPrices(ctx);
        const props = ctx.resource.props;
        const template = launchTemplateRef(props) ? findLaunchTemplate(ctx.all, launchTemplateRef(props)!) : undefined;
        const instanceType = get(props, "instanceType") ?? get(template?.props, "instanceType");
        const parts = [hourly(lookup(p.ec2Hourly, instanceType, "EC2 instance type", ctx.region), 1, 1, `1 x ${instanceType}`)];
        const rootSize = num(get(props, "rootBlockDevice", "volumeSize"));
        if (rootSize !== undefined) {
            parts.push(ebsPart(p, rootSize, get(props, "rootBlockDevice", "volumeType"), 1, 1, "root volume", ctx.region));
        } else if (template) {
            parts.push(...launchTemplateVolumes(p, template, 1, 1, ctx.region));
        }
        for (const device of arr(get(props, "ebsBlockDevices"))) {
            const size = num(get(device, "volumeSize"));
            if (size !== undefined) {
                parts.push(ebsPart(p, size, get(device, "volumeType"), 1, 1, `volume ${get(device, "deviceName") ?? ""}`.trim(), ctx.region));
            }
        }
        return { parts, nodes: { expected: 1, worstCase: 1 } };
    },
    "aws:autoscaling/group:Group": (ctx) => {
        const p = regionPrices(ctx);
        const props = ctx.resource.props;
        const ref = launchTemplateRef(props);
        const template = ref ? findLaunchTemplate(ctx.all, ref) : undefined;
        const override = get(props, "mixedInstancesPolicy", "launchTemplate", "overrides", 0, "instanceType");
        const instanceType = override ?? get(template?.props, "instanceType");
        if (instanceType === undefined) {
            throw new NotPriced("its launch template (and so its instance type) is not among the stack's resources");
        }
        const max = num(get(props, "maxSize")) ?? 0;
        const desired = num(get(props, "desiredCapacity")) ?? num(get(props, "minSize")) ?? 0;
        const parts = [hourly(lookup(p.ec2Hourly, instanceType, "EC2 instance type", ctx.region), desired, max, `${desired} (max ${max}) x ${instanceType}`)];
        parts.push(...launchTemplateVolumes(p, template, desired, max, ctx.region));
        return { parts, nodes: { expected: desired, worstCase: max } };
    },
    "aws:eks/nodeGroup:NodeGroup": (ctx) => {
        const p = regionPrices(ctx);
        const props = ctx.resource.props;
        const ref = get(props, "launchTemplate");
        const template = ref ? findLaunchTemplate(ctx.all, { id: get(ref, "id"), name: get(ref, "name") }) : undefined;
        // t3.medium is what EKS launches when neither the node group nor its template names a type.
        const instanceType = get(props, "instanceTypes", 0) ?? get(template?.props, "instanceType") ?? "t3.medium";
        const desired = num(get(props, "scalingConfig", "desiredSize")) ?? 0;
        const max = num(get(props, "scalingConfig", "maxSize")) ?? desired;
        const parts = [hourly(lookup(p.ec2Hourly, instanceType, "EC2 instance type", ctx.region), desired, max, `${desired} (max ${max}) x ${instanceType}`)];
        if (template) {
            parts.push(...launchTemplateVolumes(p, template, desired, max, ctx.region));
        } else {
            // EKS gives each node a 20 GB gp2 disk unless diskSize says otherwise.
            parts.push(ebsPart(p, num(get(props, "diskSize")) ?? 20, "gp2", desired, max, "node disks", ctx.region));
        }
        return { parts, nodes: { expected: desired, worstCase: max } };
    },
    "aws:eks/cluster:Cluster": (ctx) => ({ parts: [hourly(regionPrices(ctx).eksControlPlaneHourly, 1, 1, "EKS control plane")] }),
    "aws:ec2/natGateway:NatGateway": (ctx) => ({ parts: [hourly(regionPrices(ctx).natGatewayHourly, 1, 1, "NAT gateway hours (data processed is usage-based)")] }),
    "aws:ec2/eip:Eip": (ctx) => ({ parts: [hourly(regionPrices(ctx).publicIpv4Hourly, 1, 1, "public IPv4 address")] }),
    "aws:lb/loadBalancer:LoadBalancer": (ctx) => loadBalancer(ctx),
    "aws:alb/loadBalancer:LoadBalancer": (ctx) => loadBalancer(ctx),
    "aws:ebs/volume:Volume": (ctx) => {
        const size = num(get(ctx.resource.props, "size"));
        if (size === undefined) {
            throw new NotPriced("the volume has no size (created from a snapshot?)");
        }
        return { parts: [ebsPart(regionPrices(ctx), size, get(ctx.resource.props, "type"), 1, 1, "volume", ctx.region)] };
    },
    "aws:rds/instance:Instance": (ctx) => {
        const p = regionPrices(ctx);
        const props = ctx.resource.props;
        const instanceClass = get(props, "instanceClass");
        const copies = get(props, "multiAz") === true ? 2 : 1;
        const parts = [hourly(lookup(p.rdsHourly, instanceClass, "RDS instance class", ctx.region), copies, copies, `${copies} x ${instanceClass}${copies === 2 ? " (Multi-AZ)" : ""}`)];
        const storage = num(get(props, "allocatedStorage"));
        if (storage !== undefined) {
            const storageType = get(props, "storageType") ?? "gp2";
            const maxStorage = num(get(props, "maxAllocatedStorage")) ?? storage;
            const unitPrice = lookup(p.rdsStorageGbMonth, storageType, "RDS storage type", ctx.region);
            parts.push({ unitPrice, unit: "GB-month", quantity: storage * copies, quantityWorstCase: Math.max(storage, maxStorage) * copies, detail: `${storage} GB ${storageType}${maxStorage > storage ? ` (autoscaling to ${maxStorage} GB)` : ""}` });
        }
        return { parts };
    },
    "aws:rds/clusterInstance:ClusterInstance": (ctx) => {
        throw new NotPriced(`Aurora instance classes are not in the price table (${get(ctx.resource.props, "instanceClass")})`);
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (ctx) => {
        const props = ctx.resource.props;
        const nodeType = get(props, "nodeType");
        const nodes = num(get(props, "numCacheClusters")) ?? (num(get(props, "numNodeGroups")) ?? 1) * (1 + (num(get(props, "replicasPerNodeGroup")) ?? 0));
        return { parts: [hourly(lookup(regionPrices(ctx).elasticacheHourly, nodeType, "ElastiCache node type", ctx.region), nodes, nodes, `${nodes} x ${nodeType}`)] };
    },
    "aws:elasticache/cluster:Cluster": (ctx) => {
        const props = ctx.resource.props;
        if (get(props, "replicationGroupId") !== undefined) {
            return { parts: [] }; // a member of a replication group, priced with the group
        }
        const nodeType = get(props, "nodeType");
        const nodes = num(get(props, "numCacheNodes")) ?? 1;
        return { parts: [hourly(lookup(regionPrices(ctx).elasticacheHourly, nodeType, "ElastiCache node type", ctx.region), nodes, nodes, `${nodes} x ${nodeType}`)] };
    },
    "aws:secretsmanager/secret:Secret": (ctx) => {
        const copies = 1 + arr(get(ctx.resource.props, "replicas")).length;
        return { parts: [{ unitPrice: regionPrices(ctx).secretsManagerSecretMonthly, unit: "month", quantity: copies, quantityWorstCase: copies, detail: `${copies} secret(s) incl. replicas` }] };
    },
    "aws:kms/key:Key": (ctx) => ({ parts: [{ unitPrice: regionPrices(ctx).kmsKeyMonthly, unit: "month", quantity: 1, quantityWorstCase: 1, detail: "customer managed key" }] }),
    "aws:kms/replicaKey:ReplicaKey": (ctx) => ({ parts: [{ unitPrice: regionPrices(ctx).kmsKeyMonthly, unit: "month", quantity: 1, quantityWorstCase: 1, detail: "replica key" }] }),
    "aws:ssm/parameter:Parameter": (ctx) =>
        get(ctx.resource.props, "tier") === "Advanced"
            ? { parts: [{ unitPrice: regionPrices(ctx).ssmAdvancedParameterMonthly, unit: "month", quantity: 1, quantityWorstCase: 1, detail: "advanced parameter" }] }
            : { parts: [] },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (ctx) => ({ parts: [{ unitPrice: regionPrices(ctx).cloudwatchAlarmMonthly, unit: "month", quantity: 1, quantityWorstCase: 1, detail: "standard-resolution alarm" }] }),
    "aws:route53/zone:Zone": () => ({ parts: [{ unitPrice: PRICES.global.route53HostedZoneMonthly, unit: "month", quantity: 1, quantityWorstCase: 1, detail: "hosted zone (queries usage-based)" }] }),
    "aws:route53/healthCheck:HealthCheck": (ctx) => {
        const props = ctx.resource.props;
        const type = String(get(props, "type") ?? "");
        const features = [type.startsWith("HTTPS"), type.endsWith("STR_MATCH"), get(props, "measureLatency") === true, num(get(props, "requestInterval")) === 10].filter(Boolean).length;
        const g = PRICES.global;
        return { parts: [{ unitPrice: g.route53HealthCheckMonthly + features * g.route53HealthCheckOptionalFeatureMonthly, unit: "month", quantity: 1, quantityWorstCase: 1, detail: `health check (AWS endpoint) with ${features} optional feature(s)` }] };
    },
    "aws:globalaccelerator/accelerator:Accelerator": () => ({ parts: [hourly(PRICES.global.globalAcceleratorHourly, 1, 1, "accelerator fixed fee (DT-premium usage-based)")] }),
    "kubernetes:apps/v1:Deployment": (ctx) => workload(ctx),
    "kubernetes:apps/v1:StatefulSet": (ctx) => workload(ctx),
    "kubernetes:apps/v1:DaemonSet": (ctx) => workload(ctx),
    "kubernetes:core/v1:Pod": (ctx) => workload(ctx),
    "kubernetes:core/v1:PersistentVolumeClaim": (ctx) => {
        const size = quantityToNumber(get(ctx.resource.props, "spec", "resources", "requests", "storage"));
        if (size === undefined) {
            throw new NotPriced("the claim requests no storage size");
        }
        return { parts: [ebsPart(regionPrices(ctx), size / 2 ** 30, "gp3", 1, 1, "persistent volume", ctx.region)] };
    },
    "kubernetes:core/v1:Service": (ctx) =>
        get(ctx.resource.props, "spec", "type") === "LoadBalancer" ? { parts: [hourly(regionPrices(ctx).nlbHourly, 1, 1, "LoadBalancer Service (network load balancer)")] } : { parts: [] },
};

function loadBalancer(ctx: PricingContext): Priced {
    const p = regionPrices(ctx);
    const kind = get(ctx.resource.props, "loadBalancerType") ?? "application";
    if (kind === "application") {
        return { parts: [hourly(p.albHourly, 1, 1, "application load balancer hours (LCUs usage-based)")] };
    }
    if (kind === "network") {
        return { parts: [hourly(p.nlbHourly, 1, 1, "network load balancer hours (NLCUs usage-based)")] };
    }
    throw new NotPriced(`load balancer type ${kind} has no price rule`);
}

function workload(ctx: PricingContext): Priced {
    const p = regionPrices(ctx);
    const { resource, all } = ctx;
    const replicas = resource.type === "kubernetes:apps/v1:DaemonSet" || resource.type === "kubernetes:core/v1:Pod" ? 1 : num(get(resource.props, "spec", "replicas")) ?? 1;
    const maxReplicas = Math.max(replicas, hpaMaxReplicas(all, resource) ?? replicas);
    const parts: LinePart[] = [];
    // StatefulSet volumes are EBS volumes whether or not the nodes are priced.
    for (const template of arr(get(resource.props, "spec", "volumeClaimTemplates"))) {
        const size = quantityToNumber(get(template, "spec", "resources", "requests", "storage"));
        if (size !== undefined) {
            parts.push(ebsPart(p, size / 2 ** 30, "gp3", replicas, maxReplicas, `volume claim ${get(template, "metadata", "name") ?? ""}`.trim(), ctx.region));
        }
    }
    if (ctx.nodeRegions.has(ctx.region)) {
        return { parts }; // compute is paid for by the priced nodes of this region
    }
    const { cpu, memoryGb } = podRequests(podSpec(resource));
    const range = replicas === maxReplicas ? `${replicas}` : `${replicas}-${maxReplicas}`;
    parts.push({ unitPrice: p.kubernetesVcpuHourly, unit: "vCPU-hour", quantity: cpu * replicas, quantityWorstCase: cpu * maxReplicas, detail: `${range} pod(s) x ${cpu} vCPU requested` });
    parts.push({ unitPrice: p.kubernetesGbHourly, unit: "GB-hour", quantity: memoryGb * replicas, quantityWorstCase: memoryGb * maxReplicas, detail: `${range} pod(s) x ${memoryGb.toFixed(2)} GB requested` });
    return { parts };
}

function monthlyOf(part: LinePart, quantity: number, hoursPerMonth: number): number {
    return part.unit === "hour" || part.unit === "vCPU-hour" || part.unit === "GB-hour" ? part.unitPrice * quantity * hoursPerMonth : part.unitPrice * quantity;
}

const NODE_TYPES = new Set(["aws:ec2/instance:Instance", "aws:autoscaling/group:Group", "aws:eks/nodeGroup:NodeGroup"]);
const GLOBAL_TYPES = new Set(["aws:route53/zone:Zone", "aws:route53/healthCheck:HealthCheck", "aws:globalaccelerator/accelerator:Accelerator"]);

/**
 * Estimates the monthly and hourly cost of a set of resources (the inputs a preview or the
 * offline mocks record). Pure: the same resources always give the same estimate.
 */
export function estimateCost(resources: CostResource[], opts: EstimateOptions = { defaultRegion: "us-west-2" }, prices: PriceTable = PRICES): CostEstimate {
    const hoursPerMonth = prices.hoursPerMonth ?? HOURS_PER_MONTH;
    const regionOf = (r: CostResource): string => {
        if (GLOBAL_TYPES.has(r.type)) {
            return GLOBAL_REGION;
        }
        const m = markers(r.props);
        return m[TAG.region] ?? m[LABEL.region] ?? opts.defaultRegion;
    };
    const componentOf = (r: CostResource): string => {
        const m = markers(r.props);
        return m[TAG.component] ?? m[LABEL.component] ?? "unassigned";
    };
    const lines: CostLine[] = [];
    const unpriced: UnpricedResource[] = [];
    const usageBased: UnpricedResource[] = [];
    const nodes = { expected: 0, worstCase: 0 };
    const nodesByRegion: Record<string, { expected: number; worstCase: number }> = {};
    const nodeRegions = new Set<string>();

    const priceOne = (resource: CostResource): void => {
        const urn = resource.urn ?? resource.name;
        if (USAGE_BASED[resource.type]) {
            usageBased.push({ urn, type: resource.type, reason: USAGE_BASED[resource.type] });
            return;
        }
        if (isFree(resource)) {
            return;
        }
        const pricer = PRICERS[resource.type];
        if (!pricer) {
            unpriced.push({ urn, type: resource.type, reason: "no price rule for this resource type" });
            return;
        }
        const region = regionOf(resource);
        try {
            const priced = pricer({ resource, region, prices: prices.regions[region], all: resources, nodeRegions, regionOf });
            for (const part of priced.parts) {
                lines.push({
                    urn,
                    name: resource.name,
                    type: resource.type,
                    component: componentOf(resource),
                    region,
                    unitPrice: part.unitPrice,
                    unit: part.unit,
                    quantity: part.quantity,
                    quantityWorstCase: part.quantityWorstCase,
                    monthly: monthlyOf(part, part.quantity, hoursPerMonth),
                    monthlyWorstCase: monthlyOf(part, part.quantityWorstCase, hoursPerMonth),
                    detail: part.detail,
                });
            }
            if (priced.nodes) {
                nodes.expected += priced.nodes.expected;
                nodes.worstCase += priced.nodes.worstCase;
                const inRegion = (nodesByRegion[region] ??= { expected: 0, worstCase: 0 });
                inRegion.expected += priced.nodes.expected;
                inRegion.worstCase += priced.nodes.worstCase;
                if (priced.nodes.worstCase > 0) {
                    nodeRegions.add(region);
                }
            }
        } catch (error) {
            if (error instanceof NotPriced) {
                unpriced.push({ urn, type: resource.type, reason: error.message });
                return;
            }
            throw error;
        }
    };
    // Nodes first, so that Kubernetes workloads know which regions' compute is already paid for.
    resources.filter((r) => NODE_TYPES.has(r.type)).forEach(priceOne);
    resources.filter((r) => !NODE_TYPES.has(r.type)).forEach(priceOne);

    const totals = (key: (l: CostLine) => string): Record<string, CostTotals> => {
        const result: Record<string, CostTotals> = {};
        for (const line of lines) {
            const t = (result[key(line)] ??= { monthlyExpected: 0, monthlyWorstCase: 0 });
            t.monthlyExpected += line.monthly;
            t.monthlyWorstCase += line.monthlyWorstCase;
        }
        return result;
    };
    const monthlyExpected = lines.reduce((s, l) => s + l.monthly, 0);
    const monthlyWorstCase = lines.reduce((s, l) => s + l.monthlyWorstCase, 0);
    return {
        monthlyExpected,
        monthlyWorstCase,
        hourlyExpected: monthlyExpected / hoursPerMonth,
        hourlyWorstCase: monthlyWorstCase / hoursPerMonth,
        nodes,
        nodesByRegion,
        lines,
        byRegion: totals((l) => l.region),
        byComponent: totals((l) => l.component),
        topDrivers: (n: number) =>
            [...lines].filter((l) => l.monthly > 0 || l.monthlyWorstCase > 0).sort((a, b) => b.monthly - a.monthly || b.monthlyWorstCase - a.monthlyWorstCase).slice(0, n),
        unpriced,
        usageBased,
    };
}

/** "name $123.45/month (detail)" for messages and reports. */
export function describeLine(line: CostLine): string {
    const worst = line.monthlyWorstCase > line.monthly + 0.005 ? `, worst case $${line.monthlyWorstCase.toFixed(2)}` : "";
    return `${line.name} $${line.monthly.toFixed(2)}/month${worst} (${line.detail}, ${line.region})`;
}
