/**
 * Price rules for AWS resource types: compute by the hour at desired (expected) and maximum
 * (worst case) sizes, storage by the GB-month, fixed monthly fees. Usage-billed parts (LCUs,
 * data processed, queries) are named in the line's detail and not counted.
 */
import { TAG } from "../contract/markers";
import { findLaunchTemplate, usesLaunchTemplate } from "./launchTemplates";
import { nodeCountOf } from "./nodeCounts";
import { lookup, NotPriced, RegionPrices } from "./priceTable";
import { ebsPart, hourly, LinePart, monthly, Pricer, Priced, PricingContext } from "./pricing";
import { list, markersOf, numberAt, read, stringAt } from "../contract/resourceProps";
import type { CostResource } from "./types";

/** EBS volumes of a launch template's block device mappings, for `count` (up to `countWorst`) instances. */
function launchTemplateVolumes(p: RegionPrices, template: CostResource, count: number, countWorst: number, region: string): LinePart[] {
    return list(template.props, "blockDeviceMappings")
        .filter((m) => numberAt(m, "ebs", "volumeSize") !== undefined)
        .map((m) => ebsPart(p, numberAt(m, "ebs", "volumeSize")!, stringAt(m, "ebs", "volumeType"), count, countWorst, `volume ${stringAt(m, "deviceName") ?? ""}`.trim(), region));
}

/** Hours of `count` (up to `countWorst`) instances; `fleet` names the range as "n (max m)". */
function ec2Hours(ctx: PricingContext, instanceType: string | undefined, count: number, countWorst: number, fleet: boolean): LinePart {
    const detail = fleet ? `${count} (max ${countWorst}) x ${instanceType}` : `${count} x ${instanceType}`;
    return hourly(lookup(ctx.regionPrices().ec2Hourly, instanceType, "EC2 instance type", ctx.region, "ec2Hourly"), count, countWorst, detail);
}

const instance: Pricer = (ctx) => {
    const p = ctx.regionPrices();
    const props = ctx.resource.props;
    const template = findLaunchTemplate(ctx.all, ctx.resource);
    const instanceType = stringAt(props, "instanceType") ?? stringAt(template?.props, "instanceType");
    const parts = [ec2Hours(ctx, instanceType, 1, 1, false)];
    const rootSize = numberAt(props, "rootBlockDevice", "volumeSize");
    if (rootSize !== undefined) {
        parts.push(ebsPart(p, rootSize, stringAt(props, "rootBlockDevice", "volumeType"), 1, 1, "root volume", ctx.region));
    } else if (template) {
        parts.push(...launchTemplateVolumes(p, template, 1, 1, ctx.region));
    }
    for (const device of list(props, "ebsBlockDevices")) {
        const size = numberAt(device, "volumeSize");
        if (size !== undefined) {
            parts.push(ebsPart(p, size, stringAt(device, "volumeType"), 1, 1, `volume ${stringAt(device, "deviceName") ?? ""}`.trim(), ctx.region));
        }
    }
    return { parts };
};

const autoscalingGroup: Pricer = (ctx) => {
    const p = ctx.regionPrices();
    const template = findLaunchTemplate(ctx.all, ctx.resource);
    const instanceType = stringAt(ctx.resource.props, "mixedInstancesPolicy", "launchTemplate", "overrides", 0, "instanceType") ?? stringAt(template?.props, "instanceType");
    if (instanceType === undefined) {
        throw new NotPriced(`its launch template (and so its instance type) is not among the stack's resources; tag the group and its template with the same Name and ${TAG.component}`);
    }
    const { expected, worstCase } = nodeCountOf(ctx.resource)!;
    const parts = [ec2Hours(ctx, instanceType, expected, worstCase, true)];
    if (template) {
        parts.push(...launchTemplateVolumes(p, template, expected, worstCase, ctx.region));
    }
    return { parts };
};

const nodeGroup: Pricer = (ctx) => {
    const p = ctx.regionPrices();
    const props = ctx.resource.props;
    const template = findLaunchTemplate(ctx.all, ctx.resource);
    // t3.medium is what EKS launches when neither the node group nor its template names a type.
    const instanceType = stringAt(props, "instanceTypes", 0) ?? stringAt(template?.props, "instanceType") ?? "t3.medium";
    const { expected, worstCase } = nodeCountOf(ctx.resource)!;
    const parts = [ec2Hours(ctx, instanceType, expected, worstCase, true)];
    if (template) {
        parts.push(...launchTemplateVolumes(p, template, expected, worstCase, ctx.region));
        return { parts };
    }
    if (usesLaunchTemplate(ctx.resource)) {
        return { parts, unpriced: [`node disks: its launch template is not among the stack's resources; tag the node group and its template with the same Name and ${TAG.component}`] };
    }
    // EKS gives each node a 20 GB gp2 disk unless diskSize says otherwise.
    parts.push(ebsPart(p, numberAt(props, "diskSize") ?? 20, "gp2", expected, worstCase, "node disks", ctx.region));
    return { parts };
};

const loadBalancer: Pricer = (ctx) => {
    const p = ctx.regionPrices();
    const kind = stringAt(ctx.resource.props, "loadBalancerType") ?? "application";
    if (kind === "application") {
        return { parts: [hourly(p.albHourly, 1, 1, "application load balancer hours (LCUs usage-based)")] };
    }
    if (kind === "network") {
        return { parts: [hourly(p.nlbHourly, 1, 1, "network load balancer hours (NLCUs usage-based)")] };
    }
    throw new NotPriced(`load balancer type ${kind} has no price rule`);
};

const RDS_INSTANCE_TYPE = "aws:rds/instance:Instance";

/**
 * The instance a read replica copies. By its replicateSourceDb reference when known; during a
 * preview that reference is not known yet, so then the one non-replica instance with declared
 * storage in the same component and region.
 */
function replicaSource(ctx: PricingContext): CostResource | undefined {
    const self = ctx.resource;
    const others = ctx.all.filter((r) => r.type === RDS_INSTANCE_TYPE && r !== self);
    const ref = read(self.props, "replicateSourceDb");
    if (typeof ref === "string") {
        return others.find((r) => [`${r.name}-id`, r.name, stringAt(r.props, "identifier"), stringAt(r.props, "arn")].some((x) => x !== undefined && (x === ref || ref.endsWith(`:db:${x}`))));
    }
    const own = markersOf(self.props);
    const sameFleet = others.filter((r) => {
        const theirs = markersOf(r.props);
        return numberAt(r.props, "allocatedStorage") !== undefined && read(r.props, "replicateSourceDb") === undefined && theirs[TAG.component] === own[TAG.component] && theirs[TAG.region] === own[TAG.region];
    });
    return sameFleet.length === 1 ? sameFleet[0] : undefined;
}

function rdsStorage(ctx: PricingContext, storageProps: Record<string, any>, copies: number, from: string): LinePart {
    const storage = numberAt(storageProps, "allocatedStorage")!;
    const storageType = stringAt(storageProps, "storageType") ?? "gp2";
    const maxStorage = numberAt(storageProps, "maxAllocatedStorage") ?? storage;
    const unitPrice = lookup(ctx.regionPrices().rdsStorageGbMonth, storageType, "RDS storage type", ctx.region, "rdsStorageGbMonth");
    return { unitPrice, unit: "GB-month", quantity: storage * copies, quantityWorstCase: Math.max(storage, maxStorage) * copies, detail: `${storage} GB ${storageType}${maxStorage > storage ? ` (autoscaling to ${maxStorage} GB)` : ""}${from}` };
}

const rdsInstance: Pricer = (ctx) => {
    const props = ctx.resource.props;
    const instanceClass = stringAt(props, "instanceClass");
    const copies = read(props, "multiAz") === true ? 2 : 1;
    const priced: Priced = { parts: [hourly(lookup(ctx.regionPrices().rdsHourly, instanceClass, "RDS instance class", ctx.region, "rdsHourly"), copies, copies, `${copies} x ${instanceClass}${copies === 2 ? " (Multi-AZ)" : ""}`)] };
    if (numberAt(props, "allocatedStorage") !== undefined) {
        priced.parts.push(rdsStorage(ctx, props, copies, ""));
        return priced;
    }
    // A read replica declares no storage: it has as much as its source.
    const source = replicaSource(ctx);
    if (source) {
        priced.parts.push(rdsStorage(ctx, source.props, copies, ` (as its source ${source.name})`));
    } else {
        priced.unpriced = ["storage: no allocatedStorage, and no source instance (replicateSourceDb) among the stack's resources to inherit it from"];
    }
    return priced;
};

function cacheNodes(ctx: PricingContext, nodes: number): Priced {
    const nodeType = stringAt(ctx.resource.props, "nodeType");
    return { parts: [hourly(lookup(ctx.regionPrices().elasticacheHourly, nodeType, "ElastiCache node type", ctx.region, "elasticacheHourly"), nodes, nodes, `${nodes} x ${nodeType}`)] };
}

const fixed = (fee: (p: RegionPrices) => number, detail: string): Pricer => (ctx) => ({ parts: [monthly(fee(ctx.regionPrices()), 1, detail)] });

export const AWS_PRICERS: Record<string, Pricer> = {
    "aws:ec2/instance:Instance": instance,
    "aws:autoscaling/group:Group": autoscalingGroup,
    "aws:eks/nodeGroup:NodeGroup": nodeGroup,
    "aws:eks/cluster:Cluster": (ctx) => ({ parts: [hourly(ctx.regionPrices().eksControlPlaneHourly, 1, 1, "EKS control plane")] }),
    "aws:ec2/natGateway:NatGateway": (ctx) => ({ parts: [hourly(ctx.regionPrices().natGatewayHourly, 1, 1, "NAT gateway hours (data processed is usage-based)")] }),
    "aws:ec2/eip:Eip": (ctx) => ({ parts: [hourly(ctx.regionPrices().publicIpv4Hourly, 1, 1, "public IPv4 address")] }),
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ebs/volume:Volume": (ctx) => {
        const size = numberAt(ctx.resource.props, "size");
        if (size === undefined) {
            throw new NotPriced("the volume has no size (created from a snapshot?)");
        }
        return { parts: [ebsPart(ctx.regionPrices(), size, stringAt(ctx.resource.props, "type"), 1, 1, "volume", ctx.region)] };
    },
    [RDS_INSTANCE_TYPE]: rdsInstance,
    "aws:rds/clusterInstance:ClusterInstance": (ctx) => {
        throw new NotPriced(`Aurora instance classes are not in the price table (${stringAt(ctx.resource.props, "instanceClass")})`);
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": (ctx) => {
        const props = ctx.resource.props;
        return cacheNodes(ctx, numberAt(props, "numCacheClusters") ?? (numberAt(props, "numNodeGroups") ?? 1) * (1 + (numberAt(props, "replicasPerNodeGroup") ?? 0)));
    },
    "aws:elasticache/cluster:Cluster": (ctx) =>
        // A member of a replication group is priced with the group.
        read(ctx.resource.props, "replicationGroupId") !== undefined ? { parts: [] } : cacheNodes(ctx, numberAt(ctx.resource.props, "numCacheNodes") ?? 1),
    "aws:secretsmanager/secret:Secret": (ctx) => {
        const copies = 1 + list(ctx.resource.props, "replicas").length;
        return { parts: [monthly(ctx.regionPrices().secretsManagerSecretMonthly, copies, `${copies} secret(s) incl. replicas`)] };
    },
    "aws:kms/key:Key": fixed((p) => p.kmsKeyMonthly, "customer managed key"),
    "aws:kms/replicaKey:ReplicaKey": fixed((p) => p.kmsKeyMonthly, "replica key"),
    "aws:ssm/parameter:Parameter": (ctx) => (read(ctx.resource.props, "tier") === "Advanced" ? fixed((p) => p.ssmAdvancedParameterMonthly, "advanced parameter")(ctx) : { parts: [] }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": fixed((p) => p.cloudwatchAlarmMonthly, "standard-resolution alarm"),
    "aws:route53/zone:Zone": (ctx) => ({ parts: [monthly(ctx.table.global.route53HostedZoneMonthly, 1, "hosted zone (queries usage-based)")] }),
    "aws:route53/healthCheck:HealthCheck": (ctx) => {
        const props = ctx.resource.props;
        const type = stringAt(props, "type") ?? "";
        const features = [type.startsWith("HTTPS"), type.endsWith("STR_MATCH"), read(props, "measureLatency") === true, numberAt(props, "requestInterval") === 10].filter(Boolean).length;
        const g = ctx.table.global;
        return { parts: [monthly(g.route53HealthCheckMonthly + features * g.route53HealthCheckOptionalFeatureMonthly, 1, `health check (AWS endpoint) with ${features} optional feature(s)`)] };
    },
    "aws:globalaccelerator/accelerator:Accelerator": (ctx) => ({ parts: [hourly(ctx.table.global.globalAcceleratorHourly, 1, 1, "accelerator fixed fee (DT-premium usage-based)")] }),
};

/** Types priced in the "global" region rather than a tagged one. */
export const GLOBAL_TYPES: ReadonlySet<string> = new Set(["aws:route53/zone:Zone", "aws:route53/healthCheck:HealthCheck", "aws:globalaccelerator/accelerator:Accelerator"]);
