/**
 * Typed stack configuration. Every key of `Pulumi.<stack>.yaml` under the project namespace
 * is parsed and validated here, before any resource is declared.
 */
import { Tier } from "./catalog/types";

export type Platform = "aws" | "kubernetes";
export type EnforcementLevel = "advisory" | "mandatory";

export interface NodePoolConfig {
    instanceType: string;
    minSize: number;
    desiredSize: number;
    maxSize: number;
}

export interface StackConfig {
    /** Pulumi project and stack names (from the runtime, not the stack file). */
    project: string;
    stack: string;
    /** Scaling tier 0-3 (seed 002 section 3). Key: `tier`. */
    tier: Tier;
    /** Environment name, e.g. dev or prod. Key: `environment`. */
    environment: string;
    /**
     * aws: the full AWS topology; kubernetes: only the Kubernetes workloads, OTP gate and sync,
     * deployed to existing clusters or rendered to YAML (tiers 2-3 only). Key: `platform`.
     */
    platform: Platform;
    /** Primary region first, then secondaries (tier 3 uses all, lower tiers only the primary). */
    regions: { primary: string; secondaries: string[] };
    cost: {
        /** Monthly budget of the stack in USD. Key: `monthlyCostCap`. */
        monthlyCap: number;
        /** Seed 002 section 7.1: auto_scaling_limits.max_nodes = 20. Key: `maxNodes`. */
        maxNodes: number;
        /** Seed 002 section 7.1: max_cost_per_hour = $50. Key: `maxCostPerHour`. */
        maxCostPerHour: number;
    };
    dns: {
        /** Public name of the platform, e.g. ai.example.com. Key: `domain`. */
        domain: string;
        /** Existing Route 53 zone; created when absent. Key: `hostedZoneId`. */
        hostedZoneId?: string;
        /** Existing ACM certificate of the primary region; created (DNS-validated) when absent. Key: `certificateArn`. */
        certificateArn?: string;
    };
    /** Instance sizes (seed 002 section 7.1: dev t3.medium; prod c5.xlarge app, r5.2xlarge db, r5.large cache). */
    compute: {
        /** Tier 0 single host. */
        hostInstanceType: string;
        /** Tier 1 swarm managers (always 3) and workers (2-5). */
        swarmManagerInstanceType: string;
        swarmWorkers: NodePoolConfig;
        /** Tier 2+ node groups (seed 002 section 3.3: general 3-10, gpu 0-3). */
        generalNodes: NodePoolConfig;
        gpuNodes: NodePoolConfig;
        /** Managed PostgreSQL and Redis at tier 2+. */
        databaseInstanceClass: string;
        databaseStorageGb: number;
        databaseReadReplicas: number;
        cacheNodeType: string;
        cacheNodes: number;
    };
    kubernetes: {
        version: string;
        /** platform kubernetes: path to a kubeconfig of existing clusters (context per region name, or the current one). */
        kubeconfig?: string;
        /** platform kubernetes: render manifests into `<renderDir>/<region>/` instead of applying them. */
        renderDir?: string;
    };
    /** Per-container maxima the resource-limits policy enforces. Keys: `maxContainerCpu`, `maxContainerMemory`. */
    limits: { maxContainerCpu: string; maxContainerMemory: string };
    /** Enforcement of the policy packs for this stack. Key: `policyEnforcement`. */
    policyEnforcement: EnforcementLevel;
}
