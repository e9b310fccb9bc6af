import { atLeast, costCapsRule, lowerBoundNote, topDriversText, usd } from "../costConfig";

export const costWithinMonthlyCap = costCapsRule(
    {
        name: "cost-within-monthly-cap",
        description:
            "The stack's expected monthly cost (cost/costModel.ts: desired sizes, on-demand list prices, 730 h/month) is at most monthlyCostCap (policy config); with unpriced resources the figure is a lower bound and the message says so.",
        severity: "high",
        tags: ["cost", "budget"],
    },
    (estimate, config, reportViolation) => {
        if (estimate.monthlyExpected > config.monthlyCostCap) {
            const percent = (100 * estimate.monthlyExpected) / config.monthlyCostCap;
            reportViolation(
                `Expected cost ${atLeast(estimate)}${usd(estimate.monthlyExpected)}/month is ${atLeast(estimate)}${percent.toFixed(0)} % of the cap ${usd(config.monthlyCostCap)}/month; ${topDriversText(estimate)}. ` +
                    "Reduce desired sizes or instance classes, or raise monthlyCostCap in the stack config." +
                    lowerBoundNote(estimate),
            );
        }
    },
);
