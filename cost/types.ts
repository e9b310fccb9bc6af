/** The shapes the cost model takes and gives (re-exported by costModel.ts). */

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
    /**
     * The missing price could be compute (instances, node groups, databases, caches, pods, or a
     * type the model has no rule for): the worst case may then be far above the estimate.
     * False for storage and fees the model could not size.
     */
    compute?: boolean;
}

export interface CostTotals {
    monthlyExpected: number;
    monthlyWorstCase: number;
}

export interface NodeCount {
    expected: number;
    worstCase: number;
}

export interface Fleet {
    urn: string;
    name: string;
    type: string;
    region: string;
    nodes: NodeCount;
}

export interface CostEstimate {
    monthlyExpected: number;
    monthlyWorstCase: number;
    hourlyExpected: number;
    hourlyWorstCase: number;
    /** EC2 nodes (instances, ASG and node group members) in the expected and worst case, priced or not. */
    nodes: NodeCount;
    /** The same per region: each region runs its own cluster, and maxNodes bounds one cluster. */
    nodesByRegion: Record<string, NodeCount>;
    /** Every instance, autoscaling group and node group with its node count, priced or not. */
    fleets: Fleet[];
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
