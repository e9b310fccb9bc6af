/**
 * The one cost model of the project: estimates a stack's monthly and hourly cost from the
 * resources it declares (type + input properties), with an offline price table per region.
 * The cost-caps policy pack and the driver's review report both call `estimateCost`.
 *
 * Expected cost uses desired sizes (ASG desiredCapacity, node group desiredSize, workload
 * replicas, else the minReplicas of the HPA that scales the workload); worst case uses maximum
 * sizes (ASG maxSize, node group maxSize, HPA maxReplicas, RDS maxAllocatedStorage). Resources
 * that cost money but have no price rule or no price in the table are listed in `unpriced`, never
 * counted as zero (marked `compute` where the missing price could be compute, which the cost-caps
 * pack denies on mandatory stacks); usage-billed resources (buckets, Aurora storage, DNS records,
 * log groups, replication traffic) are listed in `usageBased`. EC2 nodes are counted from their
 * sizes whether or not they could be priced.
 *
 * Modules: priceTable.ts (prices.json and look-ups into it), freeAndUsageBased.ts (classification),
 * nodeCounts.ts, launchTemplates.ts, awsPricers.ts and kubernetesPricers.ts (price rules).
 */
import { LABEL, TAG } from "../contract/markers";
import { GLOBAL_TYPES } from "./awsPricers";
import { isFree, USAGE_BASED } from "./freeAndUsageBased";
import { COMPUTE_TYPES, NODE_TYPES, nodeCountOf } from "./nodeCounts";
import { GLOBAL_REGION, HOURS_PER_MONTH, NotPriced, PRICES, PriceTable, pricesOfRegion } from "./priceTable";
import { hasPriceRule, PRICERS } from "./pricers";
import { LinePart, monthlyOf } from "./pricing";
import { markersOf } from "../contract/resourceProps";
import type { CostEstimate, CostLine, CostResource, CostTotals, EstimateOptions, Fleet, NodeCount, UnpricedResource } from "./types";
import { REGIONS } from "../contract/seedFigures";

export type { CostEstimate, CostLine, CostResource, CostTotals, EstimateOptions, Fleet, NodeCount, UnpricedResource } from "./types";
export { GLOBAL_REGION, HOURS_PER_MONTH, PRICES } from "./priceTable";
export type { PriceTable, RegionPrices } from "./priceTable";
export { tryParseQuantity as quantityToNumber } from "../contract/quantities";

/**
 * The region a resource is counted in: its region tag or label, else `defaultRegion` (the stack's
 * primary region); global services in GLOBAL_REGION. Every pack that reports per region uses it.
 */
export function regionOf(resource: CostResource, defaultRegion: string): string {
    if (GLOBAL_TYPES.has(resource.type)) {
        return GLOBAL_REGION;
    }
    const m = markersOf(resource.props);
    return m[TAG.region] ?? m[LABEL.region] ?? defaultRegion;
}

function componentOf(resource: CostResource): string {
    const m = markersOf(resource.props);
    return m[TAG.component] ?? m[LABEL.component] ?? "unassigned";
}

function addNodes(total: NodeCount, more: NodeCount): void {
    total.expected += more.expected;
    total.worstCase += more.worstCase;
}

function totalsBy(lines: CostLine[], key: (l: CostLine) => string): Record<string, CostTotals> {
    const result: Record<string, CostTotals> = {};
    for (const line of lines) {
        const t = (result[key(line)] ??= { monthlyExpected: 0, monthlyWorstCase: 0 });
        t.monthlyExpected += line.monthly;
        t.monthlyWorstCase += line.monthlyWorstCase;
    }
    return result;
}

/**
 * Estimates the monthly and hourly cost of a set of resources (the inputs a preview or the
 * offline mocks record). Pure: the same resources always give the same estimate.
 */
export function estimateCost(resources: CostResource[], opts: EstimateOptions = { defaultRegion: REGIONS.primary }, prices: PriceTable = PRICES): CostEstimate {
    const hoursPerMonth = prices.hoursPerMonth ?? HOURS_PER_MONTH;
    const lines: CostLine[] = [];
    const unpriced: UnpricedResource[] = [];
    const usageBased: UnpricedResource[] = [];
    const nodes: NodeCount = { expected: 0, worstCase: 0 };
    const nodesByRegion: Record<string, NodeCount> = {};
    const fleets: Fleet[] = [];
    const nodeRegions = new Set<string>();
    // Look-ups over all resources, built on first use and shared by every price rule call.
    const derivedValues = new Map<string, unknown>();
    const derived = <T>(key: string, compute: (all: CostResource[]) => T): T => {
        if (!derivedValues.has(key)) derivedValues.set(key, compute(resources));
        return derivedValues.get(key) as T;
    };

    const toLine = (resource: CostResource, urn: string, region: string, part: LinePart): CostLine => ({
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

    const priceOne = (resource: CostResource): void => {
        const urn = resource.urn ?? resource.name;
        if (USAGE_BASED[resource.type]) {
            usageBased.push({ urn, type: resource.type, reason: USAGE_BASED[resource.type] });
            return;
        }
        if (isFree(resource, hasPriceRule)) {
            return;
        }
        const region = regionOf(resource, opts.defaultRegion);
        // Nodes count towards maxNodes from their sizes alone, even when they cannot be priced.
        const nodeCount = nodeCountOf(resource);
        if (nodeCount) {
            fleets.push({ urn, name: resource.name, type: resource.type, region, nodes: { ...nodeCount } });
            addNodes(nodes, nodeCount);
            addNodes((nodesByRegion[region] ??= { expected: 0, worstCase: 0 }), nodeCount);
        }
        const pricer = PRICERS[resource.type];
        if (!pricer) {
            // Fail closed: a type the model knows nothing about could run anything.
            unpriced.push({ urn, type: resource.type, reason: "no price rule for this resource type (add one to cost/awsPricers.ts or kubernetesPricers.ts, or list it as free or usage-based in freeAndUsageBased.ts)", compute: true });
            return;
        }
        try {
            const priced = pricer({ resource, region, regionPrices: () => pricesOfRegion(prices, region), table: prices, all: resources, derived, nodeRegions });
            lines.push(...priced.parts.map((part) => toLine(resource, urn, region, part)));
            unpriced.push(...(priced.unpriced ?? []).map((reason) => ({ urn, type: resource.type, reason, compute: false })));
            if (nodeCount && nodeCount.worstCase > 0 && priced.parts.length > 0) {
                nodeRegions.add(region);
            }
        } catch (error) {
            if (error instanceof NotPriced) {
                unpriced.push({ urn, type: resource.type, reason: error.message, compute: COMPUTE_TYPES.has(resource.type) });
                return;
            }
            throw error;
        }
    };
    // Nodes first, so that Kubernetes workloads know which regions' compute is already paid for.
    resources.filter((r) => NODE_TYPES.has(r.type)).forEach(priceOne);
    resources.filter((r) => !NODE_TYPES.has(r.type)).forEach(priceOne);

    const monthlyExpected = lines.reduce((s, l) => s + l.monthly, 0);
    const monthlyWorstCase = lines.reduce((s, l) => s + l.monthlyWorstCase, 0);
    return {
        monthlyExpected,
        monthlyWorstCase,
        hourlyExpected: monthlyExpected / hoursPerMonth,
        hourlyWorstCase: monthlyWorstCase / hoursPerMonth,
        nodes,
        nodesByRegion,
        fleets,
        lines,
        byRegion: totalsBy(lines, (l) => l.region),
        byComponent: totalsBy(lines, (l) => l.component),
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
