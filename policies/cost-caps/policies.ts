/** The rules of the cost-caps pack. */
import { Policies } from "@pulumi/policy";
import { computeResourcesPriced } from "./rules/computeResourcesPriced";
import { stackMonthlyCostApproachingCap } from "./rules/stackMonthlyCostApproachingCap";
import { stackMonthlyCostWithinCap } from "./rules/stackMonthlyCostWithinCap";
import { stackResourcesPriced } from "./rules/stackResourcesPriced";
import { worstCaseHourlyCostWithinLimit } from "./rules/worstCaseHourlyCostWithinLimit";
import { worstCaseNodesWithinMaxNodes } from "./rules/worstCaseNodesWithinMaxNodes";

export const costCapsPolicies: Policies = [
    stackMonthlyCostWithinCap,
    stackMonthlyCostApproachingCap,
    worstCaseHourlyCostWithinLimit,
    worstCaseNodesWithinMaxNodes,
    computeResourcesPriced,
    stackResourcesPriced,
];

/** Rules that stay advisory whatever the stack chooses: warnings never block a deployment. */
export const alwaysAdvisoryCostPolicies: readonly string[] = [stackMonthlyCostApproachingCap.name, stackResourcesPriced.name];
