/**
 * The gates a step passes before `up`, as pure functions over an engine result:
 * mandatory policy violations, and the cost estimate against the stack's caps.
 */
import { mandatoryViolations } from "../../policies/evaluator";
import type { PackName } from "../../policies/packs";
import { PlannedResource, PolicyViolation } from "../engines/engine";
import { AuditCost, AuditViolation } from "../audit/auditLog";

/** The pack whose rules hold the estimate against the stack's caps (mandatory on prod). */
export const COST_CAPS_PACK: PackName = "cost-caps";

/**
 * The policy gate's verdict. A step whose every mandatory violation comes from the cost-caps pack
 * is over cap, not a policy problem: on prod that pack is mandatory and would otherwise hide the
 * cost gate's "over cap" (exit 4) behind a policy denial (exit 3). Mixed violations stay denied.
 */
export type PolicyVerdict =
    | { verdict: "passed" }
    | { verdict: "over-cap" | "denied"; mandatory: PolicyViolation[]; message: string };

export function policyVerdict(violations: readonly PolicyViolation[]): PolicyVerdict {
    const mandatory = mandatoryViolations(violations);
    if (mandatory.length === 0) return { verdict: "passed" };
    const list = groupViolations(mandatory);
    return mandatory.every((v) => v.policyPackName === COST_CAPS_PACK)
        ? { verdict: "over-cap", mandatory, message: `over cap: ${mandatory.length} mandatory ${COST_CAPS_PACK} violation(s): ${list}` }
        : { verdict: "denied", mandatory, message: `${mandatory.length} mandatory policy violation(s): ${list}` };
}

/** How many resource names a grouped violation lists before "...". */
export const LISTED_RESOURCES = 3;

/** The resource name at the end of a URN (`urn:pulumi:stack::project::type::name`). */
function resourceName(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/**
 * Violations grouped per policy, the most frequent first (ties keep their order of appearance):
 * `pack/policy x N (resource-a, resource-b, resource-c, ...)`. " x N" only when N > 1; the
 * parentheses name the first LISTED_RESOURCES distinct resources, absent for stack-level results.
 */
export function groupViolations(violations: readonly PolicyViolation[]): string {
    const groups = new Map<string, { count: number; resources: string[] }>();
    for (const v of violations) {
        const key = `${v.policyPackName}/${v.policyName}`;
        const group = groups.get(key) ?? { count: 0, resources: [] };
        group.count++;
        const name = v.resourceUrn ? resourceName(v.resourceUrn) : undefined;
        if (name && !group.resources.includes(name)) group.resources.push(name);
        groups.set(key, group);
    }
    return [...groups.entries()]
        .sort((a, b) => b[1].count - a[1].count)
        .map(([key, { count, resources }]) => {
            const times = count > 1 ? ` x ${count}` : "";
            const more = resources.length > LISTED_RESOURCES ? ", ..." : "";
            const named = resources.length ? ` (${resources.slice(0, LISTED_RESOURCES).join(", ")}${more})` : "";
            return `${key}${times}${named}`;
        })
        .join(", ");
}

/** The figures of the shared cost model (cost/costModel.ts `estimateCost`) that the gate reads. */
export interface CostFigures {
    monthlyExpected: number;
    monthlyWorstCase: number;
    hourlyWorstCase: number;
    /** Resources the model could not price: the figures are then lower bounds. */
    unpriced?: number;
}

export type CostEstimator = (resources: PlannedResource[]) => CostFigures;

/** The caps of a stack (from its stack file, `monthlyCostCap` and `maxCostPerHour`). */
export interface CostCaps {
    monthlyCap: number;
    maxCostPerHour: number;
}

export function toAuditViolations(violations: PolicyViolation[], scrub: (text: string) => string = (t) => t): AuditViolation[] {
    return violations.map((v) => ({
        name: v.policyName,
        pack: v.policyPackName,
        level: v.enforcementLevel,
        ...(v.resourceUrn ? { urn: v.resourceUrn } : {}),
        message: scrub(v.message),
        ...(v.exemption ? { exemption: { status: v.exemption.status, approver: v.exemption.approver, expires: v.exemption.expires, reason: v.exemption.reason } } : {}),
    }));
}

export function costVersusCaps(figures: CostFigures, caps: CostCaps): AuditCost {
    return {
        monthlyExpected: round2(figures.monthlyExpected),
        monthlyWorstCase: round2(figures.monthlyWorstCase),
        hourlyWorstCase: round2(figures.hourlyWorstCase),
        monthlyCap: caps.monthlyCap,
        maxCostPerHour: caps.maxCostPerHour,
        capUtilisation: caps.monthlyCap > 0 ? Math.round((figures.monthlyExpected / caps.monthlyCap) * 1000) / 1000 : Infinity,
        ...(figures.unpriced ? { unpriced: figures.unpriced } : {}),
    };
}

/** The cost gate's one-line summary; says when the figures are lower bounds. */
export function costLineOf(cost: AuditCost): string {
    const line = `$${cost.monthlyExpected.toFixed(2)}/month expected of cap $${cost.monthlyCap.toFixed(2)} (${(cost.capUtilisation * 100).toFixed(1)} %), worst case $${cost.hourlyWorstCase.toFixed(2)}/hour of $${cost.maxCostPerHour.toFixed(2)}`;
    return cost.unpriced ? `${line} (lower bounds: ${cost.unpriced} resource(s) not priced)` : line;
}

/**
 * Why the estimate is over the caps, or undefined. The expected monthly cost is held against the
 * monthly cap; the worst case per hour (every autoscaler at its maximum) against maxCostPerHour.
 */
export function overCapReason(cost: AuditCost): string | undefined {
    const reasons: string[] = [];
    if (cost.monthlyExpected > cost.monthlyCap) {
        reasons.push(`expected $${cost.monthlyExpected.toFixed(2)}/month is above the monthly cap $${cost.monthlyCap.toFixed(2)} (monthlyCostCap)`);
    }
    if (cost.hourlyWorstCase > cost.maxCostPerHour) {
        reasons.push(`worst case $${cost.hourlyWorstCase.toFixed(2)}/hour is above maxCostPerHour $${cost.maxCostPerHour.toFixed(2)}`);
    }
    return reasons.length ? reasons.join("; ") : undefined;
}

function round2(value: number): number {
    return Math.round(value * 100) / 100;
}
