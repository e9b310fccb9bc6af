import { atLeast, costCapsRule, lowerBoundNote, topDriversText, usd } from "../costConfig";

export const worstCaseHourlyCostWithinLimit = costCapsRule(
    {
        name: "worst-case-hourly-cost-within-limit",
        description:
            "The stack's worst-case hourly cost (every autoscaling group, node group and HPA at its maximum) is at most maxCostPerHour (policy config, default $50/h from seed 002 section 7.1); with unpriced resources the figure is a lower bound and the message says so.",
        severity: "high",
        tags: ["cost", "autoscaling bounds (seed 002 section 7.1: max $50/hour)"],
    },
    (estimate, config, reportViolation) => {
        if (estimate.hourlyWorstCase > config.maxCostPerHour) {
            reportViolation(
                `At full scale the stack costs ${atLeast(estimate)}${usd(estimate.hourlyWorstCase)}/hour, above maxCostPerHour ${usd(config.maxCostPerHour)}; ${topDriversText(estimate)}. Lower the maximum sizes.` +
                    lowerBoundNote(estimate),
            );
        }
    },
);
