import { costCapsRule, topDriversText, usd } from "../costConfig";

/**
 * Budget alerts at seed 002 section 7.1's 50 % and 80 %.
 * Always advisory: a warning never blocks a deployment; the cap itself is `cost-within-monthly-cap`.
 */
export const costApproachingMonthlyCap = costCapsRule(
    {
        name: "cost-approaching-monthly-cap",
        description:
            "Warns when the stack's expected monthly cost reaches a warnAtPercent threshold of monthlyCostCap (default 50 % and 80 %) without exceeding the cap; names the highest threshold reached.",
        severity: "low",
        tags: ["cost", "budget alerts"],
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
