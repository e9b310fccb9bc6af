/** The rules of the cost-caps pack. */
import { Policies } from "@pulumi/policy";
import { computeResourcesPriced } from "./rules/computeResourcesPriced";
import { costApproachingMonthlyCap } from "./rules/costApproachingMonthlyCap";
import { costWithinMonthlyCap } from "./rules/costWithinMonthlyCap";
import { costEstimateComplete } from "./rules/costEstimateComplete";
import { worstCaseHourlyCostWithinLimit } from "./rules/worstCaseHourlyCostWithinLimit";
import { worstCaseNodesWithinMaxNodes } from "./rules/worstCaseNodesWithinMaxNodes";

export const costCapsPolicies: Policies = [
    costWithinMonthlyCap,
    costApproachingMonthlyCap,
    worstCaseHourlyCostWithinLimit,
    worstCaseNodesWithinMaxNodes,
    computeResourcesPriced,
    costEstimateComplete,
];

/** Rules that stay advisory whatever the stack chooses: warnings never block a deployment. */
export const alwaysAdvisoryCostPolicies: readonly string[] = [costApproachingMonthlyCap.name, costEstimateComplete.name];
