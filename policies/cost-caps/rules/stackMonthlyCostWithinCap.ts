import { StackValidationPolicy } from "@pulumi/policy";
import { costCapsConfig, costCapsSchema, estimateStack, topDriversText, usd } from "./costConfig";

/**
 * Severity: high. Topics: cost, budget.
 */
export const stackMonthlyCostWithinCap: StackValidationPolicy = {
    name: "cost-within-monthly-cap",
    description:
        "The stack's expected monthly cost (infra/cost/costModel.ts: desired sizes, on-demand list prices, 730 h/month) is at most monthlyCostCap (policy config).",
    enforcementLevel: "advisory",
    severity: "high",
    configSchema: costCapsSchema,
    validateStack: (args, reportViolation) => {
        const config = costCapsConfig(args);
        const estimate = estimateStack(args, config);
        if (estimate.monthlyExpected > config.monthlyCostCap) {
            const percent = (100 * estimate.monthlyExpected) / config.monthlyCostCap;
            reportViolation(
                `Expected cost ${usd(estimate.monthlyExpected)}/month is ${percent.toFixed(0)} % of the cap ${usd(config.monthlyCostCap)}/month; ${topDriversText(estimate)}. ` +
                    "Reduce desired sizes or instance classes, or raise monthlyCostCap in the stack config.",
            );
        }
    },
};
