/**
 * The rules a run's results refer to, with their own metadata: every policy of the four packs
 * (name, description, severity and topic tags from the rule objects under policies/<pack>/rules/) and the
 * promotion's cost gate. SARIF and JUnit take their rule lists from here.
 */
import { POLICY_PACKS } from "../../policies/packs";

export interface RuleInfo {
    /** `pack/policy`, or `cost-gate/<check>`. */
    id: string;
    pack: string;
    name: string;
    description: string;
    /** low, medium, high or critical (the rule's own; cost-gate checks are high). */
    severity: string;
    /** The rule's topics (its `tags`). */
    tags: string[];
}

/** The cost gate's two checks, as rules. */
export const COST_GATE_RULES: RuleInfo[] = [
    {
        id: "cost-gate/monthly-cap",
        pack: "cost-gate",
        name: "monthly-cap",
        description: "The step's expected monthly cost (shared cost model on the previewed resources) must not exceed the stack's monthlyCostCap.",
        severity: "high",
        tags: ["cost"],
    },
    {
        id: "cost-gate/max-cost-per-hour",
        pack: "cost-gate",
        name: "max-cost-per-hour",
        description: "The step's worst-case hourly cost (every autoscaler at its maximum) must not exceed the stack's maxCostPerHour.",
        severity: "high",
        tags: ["cost"],
    },
];

export function policyRules(): RuleInfo[] {
    return POLICY_PACKS.flatMap((pack) =>
        pack.policies.map((policy) => ({
            id: `${pack.name}/${policy.name}`,
            pack: pack.name,
            name: policy.name,
            description: policy.description,
            severity: policy.severity ?? "medium",
            tags: policy.tags ?? [],
        })),
    );
}

export function allRules(): RuleInfo[] {
    return [...policyRules(), ...COST_GATE_RULES];
}
