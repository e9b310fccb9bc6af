/**
 * Where the capacity rules learn which nodes a stack's clusters have: the EKS node groups the
 * stack declares (AWS), else the `nodePools` policy config the driver writes from the stack
 * config (existing clusters of platform kubernetes), one set per region.
 */
import { aws } from "../../shared/resourceClasses";
import { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { instanceShape, kubernetesNodeAllocatable } from "../../../infra/instanceTypes";
import { NodePoolSpec, NodeTaint } from "../../../infra/nodePools";
import { nodesOfPools, NodeSlot } from "../../shared/capacity";
import { list, read, regionOf } from "../../shared/props";
import { typeToken } from "../../shared/types";

export const nodePoolsSchema: PolicyConfigSchema = {
    properties: {
        nodePools: {
            type: "array",
            default: [],
            description: "Node pools of every regional cluster: [{name, instanceType, nodes, labels, taints}] (written by the driver from the stack config).",
        },
    },
};

/** A pool as the policy config carries it (allocatable is computed here from the instance type). */
export type ConfiguredPool = Omit<NodePoolSpec, "allocatable" | "minNodes" | "maxNodes">;

const EFFECTS: Record<string, NodeTaint["effect"]> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

export interface RegionNodes {
    /** Nodes per region ("" when the pools are the same in every region). */
    byRegion: Map<string, NodeSlot[]>;
    /** Pools whose instance type is not in infra/instanceTypes.ts. */
    unknownTypes: string[];
    source: "node groups" | "policy config" | "none";
}

function slots(pools: ConfiguredPool[], unknownTypes: string[]): NodeSlot[] {
    return nodesOfPools(
        pools.map((p) => {
            const shape = instanceShape(p.instanceType);
            if (!shape) unknownTypes.push(`${p.name} (${p.instanceType})`);
            return { ...p, minNodes: p.nodes, maxNodes: p.nodes, ...(shape ? { allocatable: kubernetesNodeAllocatable(shape) } : {}) };
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
            const pool: ConfiguredPool = {
                name: String(read(g.props, "nodeGroupName") ?? g.name) as ConfiguredPool["name"],
                instanceType: String(list(g.props, "instanceTypes")[0] ?? "?"),
                nodes: typeof desired === "number" ? desired : 0,
                labels: { ...(read(g.props, "labels") ?? {}) },
                taints: list(g.props, "taints").map((t: any) => ({ key: t.key, value: t.value, effect: EFFECTS[t.effect] ?? t.effect })),
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
