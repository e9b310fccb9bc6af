/** What a price rule gets (the resource, its region's prices, the whole stack) and gives (line parts). */
import type { PriceTable, RegionPrices } from "./priceTable";
import { lookup } from "./priceTable";
import type { CostLine, CostResource } from "./types";

/** One priced part of a resource (its hours, its storage...); becomes one CostLine. */
export interface LinePart {
    unitPrice: number;
    unit: CostLine["unit"];
    quantity: number;
    quantityWorstCase: number;
    detail: string;
}

export interface Priced {
    parts: LinePart[];
    /** Parts that could not be priced (e.g. a replica's inherited storage), each with its reason. */
    unpriced?: string[];
}

export interface PricingContext {
    resource: CostResource;
    region: string;
    /** The prices of `region`; throws NotPriced when the table has no such region. */
    regionPrices(): RegionPrices;
    table: PriceTable;
    all: CostResource[];
    /**
     * A value computed from `all` once per estimate and kept under `key` (an index that a price
     * rule would otherwise rebuild for every resource it prices).
     */
    derived<T>(key: string, compute: (all: CostResource[]) => T): T;
    /** Regions with priced EC2 node capacity (Kubernetes workloads there are already paid for). */
    nodeRegions: ReadonlySet<string>;
}

export type Pricer = (ctx: PricingContext) => Priced;

export function hourly(unitPrice: number, quantity: number, quantityWorstCase: number, detail: string): LinePart {
    return { unitPrice, unit: "hour", quantity, quantityWorstCase, detail };
}

/** A fixed monthly fee (a key, a secret, an alarm...). */
export function monthly(unitPrice: number, quantity: number, detail: string): LinePart {
    return { unitPrice, unit: "month", quantity, quantityWorstCase: quantity, detail };
}

/** `count` (up to `countWorst`) EBS volumes of `sizeGb` each; gp2 when no type is given, as AWS does. */
export function ebsPart(p: RegionPrices, sizeGb: number, volumeType: string | undefined, count: number, countWorst: number, label: string, region: string): LinePart {
    const type = volumeType ?? "gp2";
    const unitPrice = lookup(p.ebsGbMonth, type, "EBS volume type", region, "ebsGbMonth");
    return { unitPrice, unit: "GB-month", quantity: sizeGb * count, quantityWorstCase: sizeGb * countWorst, detail: `${label}: ${count === countWorst ? count : `${count}-${countWorst}`} x ${sizeGb} GB ${type}` };
}

const HOURLY_UNITS: ReadonlySet<CostLine["unit"]> = new Set(["hour", "vCPU-hour", "GB-hour"]);

/** Monthly cost of `quantity` units of a part. */
export function monthlyOf(part: LinePart, quantity: number, hoursPerMonth: number): number {
    return HOURLY_UNITS.has(part.unit) ? part.unitPrice * quantity * hoursPerMonth : part.unitPrice * quantity;
}
