import { costCapsRule, topDriversText, usd } from "./costConfig";

/**
 * Severity: low. Topics: cost, budget alerts (seed 002 section 7.1: 50 % and 80 %).
 * Always advisory: a warning never blocks a deployment; the cap itself is `cost-within-monthly-cap`.
 */
export const stackMonthlyCostApproachingCap = costCapsRule(
    {
        name: "cost-approaching-monthly-cap",
        description:
            "Warns when the stack's expected monthly cost reaches a warnAtPercent threshold of monthlyCostCap (default 50 % and 80 %) without exceeding the cap; names the highest threshold reached.",
        severity: "low",
    },
    (estimate, config, reportViolation) => {
        const percent = config.monthlyCostCap > 0 ? (100 * estimate.monthlyExpected) / config.monthlyCostCap : Infinity;
        const reached = config.warnAtPercent.filter((threshold) => percent >= threshold).sort((a, b) => b - a)[0];
        if (reached !== undefined && percent <= 100) {
            reportViolation(
                `Expected cost ${usd(estimate.monthlyExpected)}/month has reached ${reached} % of the cap ${usd(config.monthlyCostCap)}/month (${percent.toFixed(0)} %); ${topDriversText(estimate)}.`,
            );
        }
    },
);
