/**
 * The cost model's entry point: the cost-caps pack, the driver's cost gate and the review report
 * all price a stack through `estimateCost`, and every node limit counts nodes with `nodeCountOf`.
 */
export { describeLine, estimateCost, GLOBAL_REGION, HOURS_PER_MONTH, PRICES, quantityToNumber, regionOf } from "./costModel";
export type { CostEstimate, CostLine, CostResource, CostTotals, EstimateOptions, Fleet, NodeCount, PriceTable, RegionPrices, UnpricedResource } from "./costModel";
export { COMPUTE_TYPES, nodeCountOf, NODE_TYPES } from "./nodeCounts";
export { findLaunchTemplate, usesLaunchTemplate } from "./launchTemplates";
