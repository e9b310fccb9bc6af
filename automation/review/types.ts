/**
 * The cost-cap review: what a reviewer reads before approving a promotion. Every figure comes
 * from the shared cost model (`cost/costModel.ts`) applied to the engine's planned resources.
 */
import { Tier } from "../../contract/catalog";
import { EngineName, PolicyViolation } from "../engines/engine";

/** within-cap: may proceed; over-cap: the estimate exceeds the monthly cap or the hourly maximum;
 * policy-denied: a mandatory policy violation; engine-failed: the preview itself failed. */
export type Verdict = "within-cap" | "over-cap" | "policy-denied" | "engine-failed";

export interface CostFigures {
    monthlyExpected: number;
    monthlyWorstCase: number;
    hourlyExpected: number;
    hourlyWorstCase: number;
    /** Resources the engine planned (components included). */
    resourceCount: number;
}

/** One row of a per-region or per-component table (monthly expected USD). */
export interface Breakdown {
    key: string;
    current: number;
    proposed: number;
    delta: number;
}

export interface CostDriver {
    name: string;
    type: string;
    region?: string;
    component?: string;
    /** Monthly expected USD. */
    monthly: number;
    /** How the figure was computed (unit price x quantity), from the cost model. */
    detail?: string;
}

export interface UnpricedResource {
    name: string;
    type: string;
    reason: string;
}

export interface TierCost {
    tier: Tier;
    monthlyExpected: number;
    monthlyWorstCase: number;
}

export interface Review {
    stack: string;
    /** Tier the stack stands at now (undefined: never deployed). */
    currentTier?: Tier;
    proposedTier: Tier;
    engine: EngineName;
    generatedAt: string;
    cap: { monthly: number; hourly: number };
    current?: CostFigures;
    proposed: CostFigures;
    /** proposed - current (current counts as 0 when absent). */
    delta: { monthlyExpected: number; monthlyWorstCase: number };
    /** Proposed monthly cost as a fraction of the monthly cap (1 = at the cap). */
    capUtilisation: { expected: number; worstCase: number };
    byRegion: Breakdown[];
    byComponent: Breakdown[];
    topDrivers: CostDriver[];
    /** Resources that cost money but cannot be costed without usage (buckets, DNS queries, transfer). */
    unpriced: UnpricedResource[];
    usageBased: UnpricedResource[];
    /** mandatory: blocking; advisory: reported; exempted: mandatory or advisory results an active exemption covers (never hidden). */
    policy: { mandatory: PolicyViolation[]; advisory: PolicyViolation[]; exempted?: PolicyViolation[] };
    verdict: Verdict;
    /** One sentence that explains the verdict. */
    verdictReason: string;
    /**
     * What the reviewer should see although it does not change the verdict, e.g. a worst case
     * (autoscaling at maximum) above the monthly cap while the expected cost is within it: the
     * cap gate holds the expected cost against the cap, so such a step still passes.
     */
    warnings: string[];
    /** What the engine could not know (offline engine caveats). */
    caveats: string[];
    /** Monthly cost of the stack at each tier, for the chart (optional). */
    tierCosts?: TierCost[];
    /** Enforcement level the run's policies were evaluated with. */
    policyEnforcement?: string;
    /** `--config` overrides of the run (key without namespace -> value), shown so no override goes unseen. */
    configOverrides?: Record<string, string>;
    /** Digest of the proposed tier's plan: `promote --approve-plan <digest>` applies only this plan. */
    planDigest?: string;
    /** Exemptions of the stack that matched nothing in the proposed preview. */
    staleExemptions?: { policy: string; resource: string; approver: string; expires: string }[];
}
