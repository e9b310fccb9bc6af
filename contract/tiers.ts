/**
 * The scaling tiers as data (seed 002 section 3), read by reports and docs, and the platforms
 * that run them.
 */
import { Tier } from "./catalog";

/** Where a stack runs: AWS (tiers 0-3) or existing Kubernetes clusters (tiers 2-3). */
export type Platform = "aws" | "kubernetes";
export type EnforcementLevel = "advisory" | "mandatory";

export const PLATFORMS: readonly Platform[] = ["aws", "kubernetes"];

/** Lowest tier each platform runs: the Kubernetes-only platform has no host or swarm, so it starts at tier 2. */
export const LOWEST_TIER: Record<Platform, Tier> = { aws: 0, kubernetes: 2 };
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory"];

export interface TierDefinition {
    tier: Tier;
    /** Short name used in reports. */
    name: string;
    /** Title of the tier in seed 002 section 3. */
    seedName: string;
    /** Seed 002 "Capacity Target", concurrent users. */
    capacity: { minUsers: number; maxUsers?: number; label: string };
    /** What runs at this tier, one line per piece. */
    runs: string[];
    /** The component that declares the tier's topology. */
    component: string;
}

export const TIER_DEFINITIONS: Record<Tier, TierDefinition> = {
    0: {
        tier: 0,
        name: "single-host",
        seedName: "Tier 0: Single Node Optimization",
        capacity: { minUsers: 10, maxUsers: 20, label: "10-20 concurrent users" },
        runs: [
            "one EC2 host with encrypted root and data volumes (customer-managed KMS key), SSM access, no SSH",
            "docker compose with CPU/memory limits and reservations for every container",
            "encrypted backup bucket, monthly budget alerts",
        ],
        component: "components/tier0/singleHost.ts (SingleHost)",
    },
    1: {
        tier: 1,
        name: "swarm",
        seedName: "Tier 1: Docker Swarm Migration",
        capacity: { minUsers: 50, maxUsers: 100, label: "50-100 concurrent users" },
        runs: [
            "Docker Swarm: 3 managers + 2-5 workers (launch template + autoscaling group)",
            "encrypted overlay network, stateless services at 3 replicas",
            "join tokens as KMS-encrypted SSM parameters, TLS load balancer",
        ],
        component: "components/tier1/swarmCluster.ts (SwarmCluster)",
    },
    2: {
        tier: 2,
        name: "kubernetes",
        seedName: "Tier 2: Kubernetes Migration",
        capacity: { minUsers: 500, maxUsers: 1000, label: "500-1000 concurrent users" },
        runs: [
            "EKS with KMS secrets encryption, node groups general (3-10) and gpu (0-3)",
            "Deployments with HPA (CPU 70 %, memory 80 %), PDBs, rolling updates, StatefulSets",
            "managed PostgreSQL (2 read replicas) and Redis, encrypted at rest and in transit",
        ],
        component: "components/tier2 (KubernetesPlatform)",
    },
    3: {
        tier: 3,
        name: "multi-region",
        seedName: "Tier 3: Multi-Region Deployment",
        capacity: { minUsers: 5000, label: "5000+ concurrent users" },
        runs: [
            "one Region (tier-2 platform, own AWS provider) per region: us-west-2, eu-west-1, ap-southeast-1 by default",
            "latency routing with health checks and failover, encrypted cross-region replication",
            "MultiRegionSync gated by the OtpGate",
        ],
        component: "components/tier3 (Region, GlobalRouting, MultiRegionSync)",
    },
};

export function tierDefinition(tier: Tier): TierDefinition {
    return TIER_DEFINITIONS[tier];
}
