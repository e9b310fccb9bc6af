/**
 * Where the capacity rules learn which nodes a stack's clusters have: the EKS node groups the
 * stack declares (AWS), else the `nodePools` policy config the driver writes from the stack
 * config (existing clusters of platform kubernetes), one set per region.
 */
import { aws } from "../shared/resourceClasses";
import { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { findLaunchTemplate } from "../../cost";
import { instanceShape, kubernetesNodeAllocatable } from "../../contract/instanceTypes";
import { EKS_DEFAULT_ROOT_VOLUME_GB, NODE_ROOT_VOLUME_GB, NodePoolSpec, NodeTaint } from "../../contract/nodePools";
import { nodesOfPools, NodeSlot } from "../shared/capacity";
import { list, read, regionOf } from "../shared/props";
import { typeToken } from "../shared/types";

export const nodePoolsSchema: PolicyConfigSchema = {
    properties: {
        nodePools: {
            type: "array",
            default: [],
            description: "Node pools of every regional cluster: [{name, instanceType, nodes, labels, taints, rootVolumeGb}] (written by the driver from the stack config).",
        },
    },
};

/**
 * A pool as the policy config carries it (allocatable is computed here from the instance type and
 * the root volume; without `rootVolumeGb`, the pool's figure in contract/nodePools.ts, else EKS's
 * default disk).
 */
export type ConfiguredPool = Omit<NodePoolSpec, "allocatable" | "minNodes" | "maxNodes" | "rootVolumeGb"> & { rootVolumeGb?: number };

function rootVolumeOf(pool: ConfiguredPool): number {
    if (typeof pool.rootVolumeGb === "number" && pool.rootVolumeGb > 0) return pool.rootVolumeGb;
    return Object.prototype.hasOwnProperty.call(NODE_ROOT_VOLUME_GB, pool.name) ? NODE_ROOT_VOLUME_GB[pool.name] : EKS_DEFAULT_ROOT_VOLUME_GB;
}

const EFFECTS: Record<string, NodeTaint["effect"]> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

export interface RegionNodes {
    /** Nodes per region ("" when the pools are the same in every region). */
    byRegion: Map<string, NodeSlot[]>;
    /** Pools whose instance type is not in contract/instanceTypes.ts. */
    unknownTypes: string[];
    source: "node groups" | "policy config" | "none";
}

function slots(pools: ConfiguredPool[], unknownTypes: string[]): NodeSlot[] {
    return nodesOfPools(
        pools.map((p) => {
            const shape = instanceShape(p.instanceType);
            if (!shape) unknownTypes.push(`${p.name} (${p.instanceType})`);
            const rootVolumeGb = rootVolumeOf(p);
            return { ...p, rootVolumeGb, minNodes: p.nodes, maxNodes: p.nodes, ...(shape ? { allocatable: kubernetesNodeAllocatable(shape, rootVolumeGb) } : {}) };
        }),
    );
}

export function nodesOfStack(resources: readonly PolicyResource[], configured: ConfiguredPool[] | undefined): RegionNodes {
    const unknownTypes: string[] = [];
    const groups = resources.filter((r) => r.type === typeToken(aws.eks.NodeGroup));
    if (groups.length > 0) {
        const byRegion = new Map<string, NodeSlot[]>();
        for (const g of groups) {
            const desired = read(g.props, "scalingConfig", "desiredSize");
            // The node's disk: its launch template's first volume, else the node group's diskSize.
            const template = findLaunchTemplate(resources as PolicyResource[], g);
            const templateVolume = read(list(template?.props, "blockDeviceMappings")[0], "ebs", "volumeSize");
            const diskSize = read(g.props, "diskSize");
            const pool: ConfiguredPool = {
                name: String(read(g.props, "nodeGroupName") ?? g.name) as ConfiguredPool["name"],
                instanceType: String(list(g.props, "instanceTypes")[0] ?? "?"),
                nodes: typeof desired === "number" ? desired : 0,
                labels: { ...(read(g.props, "labels") ?? {}) },
                taints: list(g.props, "taints").map((t: any) => ({ key: t.key, value: t.value, effect: EFFECTS[t.effect] ?? t.effect })),
                rootVolumeGb: typeof templateVolume === "number" ? templateVolume : typeof diskSize === "number" ? diskSize : EKS_DEFAULT_ROOT_VOLUME_GB,
            };
            const region = regionOf(g.props) ?? "";
            byRegion.set(region, [...(byRegion.get(region) ?? []), ...slots([pool], unknownTypes)]);
        }
        return { byRegion, unknownTypes, source: "node groups" };
    }
    if (configured && configured.length > 0) {
        return { byRegion: new Map([["", slots(configured, unknownTypes)]]), unknownTypes, source: "policy config" };
    }
    return { byRegion: new Map(), unknownTypes, source: "none" };
}
