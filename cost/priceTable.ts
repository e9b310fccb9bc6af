/**
 * The offline price table (prices.json: per region, with its source and retrieval date) and the
 * look-ups into it. A missing price is a `NotPriced` error, which the estimate lists as
 * "not priced" instead of counting zero.
 */
import priceTable from "./prices.json";
import { HOURS_PER_MONTH } from "../contract/seedFigures";

export { HOURS_PER_MONTH };

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

/** Why a resource (or part of it) could not be priced; the estimate lists it with this reason. */
export class NotPriced extends Error {}

/** Where the price table lives, for messages that say how to add a price. */
export const PRICE_TABLE_FILE = "cost/prices.json";

/** The prices of `region`, or NotPriced naming the regions the table has. */
export function pricesOfRegion(table: PriceTable, region: string): RegionPrices {
    const prices = table.regions[region];
    if (!prices) {
        throw new NotPriced(
            `region ${region} is not in the price table (priced: ${Object.keys(table.regions).join(", ")}); add regions["${region}"] to ${PRICE_TABLE_FILE} with the region's on-demand prices and their source`,
        );
    }
    return prices;
}

/**
 * `table[key]`, or NotPriced naming what has no price (an instance type, a volume type...) and
 * where to add it (`field` is the table's name in a region of prices.json, e.g. "ec2Hourly").
 */
export function lookup(table: Record<string, number>, key: unknown, what: string, region: string, field: keyof RegionPrices): number {
    const price = typeof key === "string" ? table[key] : undefined;
    if (price === undefined) {
        const fix = typeof key === "string" ? `; add "${key}" to regions["${region}"].${String(field)} in ${PRICE_TABLE_FILE} (on-demand list price, with its source)` : "";
        throw new NotPriced(`${what} ${JSON.stringify(key)} has no price for ${region}${fix}`);
    }
    return price;
}
