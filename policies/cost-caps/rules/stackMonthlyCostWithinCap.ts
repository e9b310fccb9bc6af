import { costCapsRule, topDriversText, usd } from "./costConfig";

/**
 * Severity: high. Topics: cost, budget.
 */
export const stackMonthlyCostWithinCap = costCapsRule(
    {
        name: "cost-within-monthly-cap",
        description:
            "The stack's expected monthly cost (infra/cost/costModel.ts: desired sizes, on-demand list prices, 730 h/month) is at most monthlyCostCap (policy config).",
        severity: "high",
    },
    (estimate, config, reportViolation) => {
        if (estimate.monthlyExpected > config.monthlyCostCap) {
            const percent = (100 * estimate.monthlyExpected) / config.monthlyCostCap;
            reportViolation(
                `Expected cost ${usd(estimate.monthlyExpected)}/month is ${percent.toFixed(0)} % of the cap ${usd(config.monthlyCostCap)}/month; ${topDriversText(estimate)}. ` +
                    "Reduce desired sizes or instance classes, or raise monthlyCostCap in the stack config.",
            );
        }
    },
);
