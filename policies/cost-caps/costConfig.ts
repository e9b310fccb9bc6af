/**
 * Configuration shared by the cost-caps rules, and the estimate they all compute from the stack.
 */
import { PolicyConfigSchema, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { COST_CONTROLS, REGIONS } from "../../contract/seedFigures";
import { CostEstimate, describeLine, estimateCost } from "../../cost";

/** Seed 000 "Cost Estimation": multi-region setup $5,000 - $10,000/month; the upper bound is the default cap. */
export const DEFAULT_MONTHLY_COST_CAP = 10000;
/** Seed 002 section 7.1: auto_scaling_limits.max_cost_per_hour. */
export const DEFAULT_MAX_COST_PER_HOUR = COST_CONTROLS.maxCostPerHour;
/** Seed 002 section 7.1: auto_scaling_limits.max_nodes. */
export const DEFAULT_MAX_NODES = COST_CONTROLS.maxNodes;
/** Seed 002 section 7.1: budget alerts below 100 % of the monthly budget (100 % is the cap rule). */
export const DEFAULT_WARN_AT_PERCENT = COST_CONTROLS.budgetAlertPercents.filter((percent) => percent < 100);
/** Region of resources without a region tag, unless the policy config names the stack's primary region. */
export const DEFAULT_REGION = REGIONS.primary;

export interface CostCapsConfig {
    monthlyCostCap: number;
    maxCostPerHour: number;
    maxNodes: number;
    warnAtPercent: number[];
    /** Region of resources without a region tag (the stack's primary region). */
    defaultRegion: string;
}

export const costCapsSchema: PolicyConfigSchema = {
    properties: {
        monthlyCostCap: { type: "number", minimum: 0, default: DEFAULT_MONTHLY_COST_CAP, description: "Monthly budget of the stack in USD." },
        maxCostPerHour: { type: "number", minimum: 0, default: DEFAULT_MAX_COST_PER_HOUR, description: "Largest worst-case hourly cost in USD." },
        maxNodes: { type: "integer", minimum: 1, default: DEFAULT_MAX_NODES, description: "Most EC2 nodes the stack may scale to." },
        warnAtPercent: { type: "array", items: { type: "number" }, default: DEFAULT_WARN_AT_PERCENT, description: "Budget alert thresholds, percent of the cap." },
        defaultRegion: { type: "string", default: DEFAULT_REGION, description: "Region of resources without a region tag." },
    },
};

/** The config with defaults for anything the stack did not set. */
export function costCapsConfig(args: Pick<StackValidationArgs, "getConfig">): CostCapsConfig {
    const c = args.getConfig<Partial<CostCapsConfig>>();
    return {
        monthlyCostCap: c.monthlyCostCap ?? DEFAULT_MONTHLY_COST_CAP,
        maxCostPerHour: c.maxCostPerHour ?? DEFAULT_MAX_COST_PER_HOUR,
        maxNodes: c.maxNodes ?? DEFAULT_MAX_NODES,
        warnAtPercent: c.warnAtPercent ?? DEFAULT_WARN_AT_PERCENT,
        defaultRegion: c.defaultRegion ?? DEFAULT_REGION,
    };
}

/** Estimates already computed, per resources array and default region. */
const estimates = new WeakMap<object, Map<string, CostEstimate>>();

/**
 * The cost estimate of the stack being validated, computed once per `args.resources` array:
 * the cost-caps rules evaluated on the same array (the offline evaluator passes one array to
 * every stack policy) share it instead of estimating the whole stack again each.
 */
export function estimateStack(args: Pick<StackValidationArgs, "resources">, config: Pick<CostCapsConfig, "defaultRegion">): CostEstimate {
    let byRegion = estimates.get(args.resources);
    if (!byRegion) {
        byRegion = new Map();
        estimates.set(args.resources, byRegion);
    }
    let estimate = byRegion.get(config.defaultRegion);
    if (!estimate) {
        estimate = estimateCost(
            args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props })),
            { defaultRegion: config.defaultRegion },
        );
        byRegion.set(config.defaultRegion, estimate);
    }
    return estimate;
}

/** What a cost-caps rule declares besides its check. */
export type CostCapsRuleInfo = Pick<StackValidationPolicy, "name" | "description" | "severity" | "tags"> & { enforcementLevel?: StackValidationPolicy["enforcementLevel"] };

/**
 * A cost-caps stack rule: `check` gets the stack's (shared) estimate and the config with
 * defaults; every rule has the same config schema and starts advisory (the stack file chooses).
 */
export function costCapsRule(info: CostCapsRuleInfo, check: (estimate: CostEstimate, config: CostCapsConfig, reportViolation: ReportViolation) => void): StackValidationPolicy {
    return {
        enforcementLevel: "advisory",
        ...info,
        configSchema: costCapsSchema,
        validateStack: (args, reportViolation) => {
            const config = costCapsConfig(args);
            check(estimateStack(args, config), config, reportViolation);
        },
    };
}

export const usd = (amount: number): string => `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * "" when every resource is priced; otherwise the note that a figure is a lower bound, naming
 * how many resources (and how many of them possibly compute) the estimate leaves out.
 */
export function lowerBoundNote(estimate: CostEstimate): string {
    if (estimate.unpriced.length === 0) return "";
    const compute = estimate.unpriced.filter((u) => u.compute).length;
    const types = [...new Set(estimate.unpriced.map((u) => u.type))].slice(0, 3).join(", ");
    return ` This is a lower bound: ${estimate.unpriced.length} resource(s) are not priced (${compute} possibly compute; ${types}), see compute-resources-priced and cost-estimate-complete.`;
}

/** "at least " where the figure is a lower bound. */
export function atLeast(estimate: CostEstimate): string {
    return estimate.unpriced.length > 0 ? "at least " : "";
}

/** "top cost drivers: a $x/month (...); b ...; c ..." */
export function topDriversText(estimate: CostEstimate, n = 3): string {
    const drivers = estimate.topDrivers(n);
    return drivers.length === 0 ? "no priced resources" : `top cost drivers: ${drivers.map(describeLine).join("; ")}`;
}
