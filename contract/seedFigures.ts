/**
 * Numbers the seed documents fix as requirements. Each lives here exactly once, with the seed
 * section it comes from; the config defaults, the catalog and the components read them.
 */

/** Seed 002 section 7.1 "Cost Controls". */
export const COST_CONTROLS = {
    /** auto_scaling_limits.max_nodes */
    maxNodes: 20,
    /** auto_scaling_limits.max_cost_per_hour, USD */
    maxCostPerHour: 50,
    /** budget_alerts: percent of the monthly budget */
    budgetAlertPercents: [50, 80, 100] as readonly number[],
} as const;

/** Hours in an average month (365 * 24 / 12): turns an hourly ceiling into a monthly one. */
export const HOURS_PER_MONTH = 730;

/** Seed 002 section 7.1 "Resource Right-Sizing": instance types per environment. */
export const INSTANCE_TYPES = {
    development: "t3.medium",
    productionApplication: "c5.xlarge",
    productionDatabase: "r5.2xlarge",
    productionCache: "r5.large",
} as const;

/** Seed 002 section 3.2: Docker Swarm across 3-5 nodes; the issue fixes 3 managers + 2-5 workers. */
export const SWARM = {
    managers: 3,
    workers: { min: 2, max: 5 },
    /** "Scale stateless services to 3 replicas". */
    statelessReplicas: 3,
} as const;

/** Seed 002 section 3.3: node pools general (3-10) and gpu (0-3). */
export const NODE_POOLS = {
    general: { min: 3, max: 10 },
    gpu: { min: 0, max: 3 },
} as const;

/** Seed 003 "Data Replication" (PostgreSQL: 2 replicas; Redis: Sentinel with 3 nodes), seed 002 section 2.1. */
export const DATA_REPLICATION = {
    postgresReadReplicas: 2,
    redisNodes: 3,
    /** Neo4j causal cluster with 3 cores (seed 003, seed 002 section 2.1). */
    neo4jCores: 3,
    /** RabbitMQ: 3 nodes, minimum for quorum (seed 002 section 2.4). */
    rabbitmqNodes: 3,
} as const;

/** Seed 002 section 3.3 (HPA targets), section 4.1 (cooldown 5 min), seed 001 HPA behaviour (30 s up). */
export const AUTOSCALING = {
    cpuUtilization: 70,
    memoryUtilization: 80,
    scaleUpWindowSeconds: 30,
    scaleDownWindowSeconds: 300,
} as const;

/** Seed 002 section 3.4: regions of the multi-region tier. */
export const REGIONS = {
    primary: "us-west-2",
    secondaries: ["eu-west-1", "ap-southeast-1"] as readonly string[],
} as const;
