/**
 * Policy config per stack: the stack file chooses advisory or mandatory enforcement and the
 * figures (cost cap, node and container maxima); this turns them into one
 * `--policy-pack-config` object per pack (the driver writes each to a JSON file for the CLI;
 * the offline engine passes them to `evaluatePolicies`).
 */
import type { StackConfig } from "../config/config";
import { nodePoolsOf } from "../contract/nodePools";
import { DEFAULT_WARN_AT_PERCENT } from "./cost-caps/costConfig";
import type { PolicyPackConfig } from "./evaluator";
import { ALWAYS_ADVISORY, PackName, POLICY_PACKS } from "./packs";

/** The figures policies read from config, by config key. */
export function policyFiguresFor(stackConfig: StackConfig): Record<string, unknown> {
    return {
        monthlyCostCap: stackConfig.cost.monthlyCap,
        maxCostPerHour: stackConfig.cost.maxCostPerHour,
        maxNodes: stackConfig.cost.maxNodes,
        warnAtPercent: DEFAULT_WARN_AT_PERCENT,
        defaultRegion: stackConfig.regions.primary,
        maxContainerCpu: stackConfig.limits.maxContainerCpu,
        maxContainerMemory: stackConfig.limits.maxContainerMemory,
        nodePools: nodePoolsOf(stackConfig).map(({ name, instanceType, nodes, labels, taints, rootVolumeGb }) => ({ name, instanceType, nodes, labels, taints, rootVolumeGb })),
    };
}

/**
 * One config object per pack: every policy gets the stack's enforcement level (warnings in
 * `ALWAYS_ADVISORY` stay advisory, and so do `advisoryPolicies`, `pack/policy` names whose every
 * violation an active exemption covers) and exactly the figures its configSchema declares.
 */
export function policyPackConfigFor(stackConfig: StackConfig, advisoryPolicies: readonly string[] = []): Record<PackName, PolicyPackConfig> {
    const figures = policyFiguresFor(stackConfig);
    const result: Partial<Record<PackName, PolicyPackConfig>> = {};
    for (const pack of POLICY_PACKS) {
        const packConfig: PolicyPackConfig = {};
        for (const policy of pack.policies) {
            const lowered = ALWAYS_ADVISORY.has(policy.name) || advisoryPolicies.includes(`${pack.name}/${policy.name}`);
            const entry: Record<string, unknown> = { enforcementLevel: lowered ? "advisory" : stackConfig.policyEnforcement };
            for (const key of Object.keys(policy.configSchema?.properties ?? {})) {
                if (figures[key] !== undefined) {
                    entry[key] = figures[key];
                }
            }
            packConfig[policy.name] = entry as PolicyPackConfig[string];
        }
        result[pack.name as PackName] = packConfig;
    }
    return result as Record<PackName, PolicyPackConfig>;
}

