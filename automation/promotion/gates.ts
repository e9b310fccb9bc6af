/**
 * The gates a step passes before `up`, as pure functions over an engine result:
 * mandatory policy violations, and the cost estimate against the stack's caps.
 */
import { PlannedResource, PolicyViolation } from "../engines/engine";
import { AuditCost, AuditViolation } from "../audit/auditLog";

/** The figures of the shared cost model (infra/cost/costModel.ts `estimateCost`) that the gate reads. */
export interface CostFigures {
    monthlyExpected: number;
    monthlyWorstCase: number;
    hourlyWorstCase: number;
}

export type CostEstimator = (resources: PlannedResource[]) => CostFigures;

/** The caps of a stack (from its stack file, `monthlyCostCap` and `maxCostPerHour`). */
export interface CostCaps {
    monthlyCap: number;
    maxCostPerHour: number;
}

export function toAuditViolations(violations: PolicyViolation[]): AuditViolation[] {
    return violations.map((v) => ({
        name: v.policyName,
        pack: v.policyPackName,
        level: v.enforcementLevel,
        ...(v.resourceUrn ? { urn: v.resourceUrn } : {}),
    }));
}

export function mandatoryViolations(violations: PolicyViolation[]): PolicyViolation[] {
    return violations.filter((v) => v.enforcementLevel === "mandatory");
}

export function costVersusCaps(figures: CostFigures, caps: CostCaps): AuditCost {
    return {
        monthlyExpected: round2(figures.monthlyExpected),
        monthlyWorstCase: round2(figures.monthlyWorstCase),
        hourlyWorstCase: round2(figures.hourlyWorstCase),
        monthlyCap: caps.monthlyCap,
        maxCostPerHour: caps.maxCostPerHour,
        capUtilisation: caps.monthlyCap > 0 ? Math.round((figures.monthlyExpected / caps.monthlyCap) * 1000) / 1000 : Infinity,
    };
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
