import { costCapsRule } from "../costConfig";

/**
 * Always advisory: a gap in the price table should be fixed in the table, not block a deployment.
 */
export const costEstimateComplete = costCapsRule(
    {
        name: "cost-estimate-complete",
        description: "Warns when the cost model cannot price a resource that costs money (no price rule for its type, or no price for its region/instance class); lists each such resource and the reason.",
        severity: "low",
        tags: ["cost", "estimate completeness"],
    },
    (estimate, _config, reportViolation) => {
        for (const item of estimate.unpriced) {
            reportViolation(
                `Not priced, so the estimate is too low: ${item.type} (${item.reason}). Add a price to cost/prices.json or a price rule to cost/awsPricers.ts or kubernetesPricers.ts` +
                    `${item.compute ? "; possibly compute, so compute-resources-priced denies it on mandatory stacks" : ""}.`,
                item.urn,
            );
        }
    },
);
