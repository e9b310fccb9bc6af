/** The promotion cost gate on the shared cost model (the same one the cost-cap pack and the review use). */
import { estimateCost } from "../../cost";
import { CostEstimator } from "./gates";

/** @param defaultRegion region of resources that carry no region marker: the stack's primary region. */
export function sharedCostEstimator(defaultRegion: string): CostEstimator {
    return (resources) => {
        const estimate = estimateCost(resources, { defaultRegion });
        return { monthlyExpected: estimate.monthlyExpected, monthlyWorstCase: estimate.monthlyWorstCase, hourlyWorstCase: estimate.hourlyWorstCase, unpriced: estimate.unpriced.length };
    };
}
