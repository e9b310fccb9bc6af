/**
 * The default catalog: the SutazAI platform of seeds 002 and 003 as data.
 * Figures come from seed 002 section 1.2 (per-service baseline), 2.1 (targets), 3.1 (tier-0
 * compose limits), 3.2 (swarm replicas), 3.3 (Kubernetes requests/limits and HPA).
 * The compose files of tiers 0-1 derive their `cpus`/`memory` from `resources` below.
 */
import { AutoscalingSpec, ServiceCatalog, ServiceDefinition, Tier, TierPlacement, WritablePath } from "../../contract/catalog";
import { AUTOSCALING, DATA_REPLICATION, NODE_POOLS, SWARM } from "../../contract/seedFigures";

/** HPA bounds with the seed's thresholds and windows (seed 002 sections 3.3 and 4.1, seed 001). */
function hpa(minReplicas: number, maxReplicas: number): AutoscalingSpec {
    return { minReplicas, maxReplicas, ...AUTOSCALING };
}

/** Stateless: 1 copy on the single host, 3 swarm replicas (seed 002 section 3.2), HPA from tier 2. */
function stateless(minReplicas: number, maxReplicas: number): Record<Tier, TierPlacement> {
    return {
        0: { replicas: 1 },
        1: { replicas: SWARM.statelessReplicas },
        2: { replicas: minReplicas, autoscaling: hpa(minReplicas, maxReplicas) },
        3: { replicas: minReplicas, autoscaling: hpa(minReplicas, maxReplicas) },
    };
}

/** Stateful: one container at tiers 0-1; from tier 2 a clustered StatefulSet or a managed service. */
function stateful(fromTier2: TierPlacement): Record<Tier, TierPlacement> {
    return {
        0: { replicas: 1, runsAs: "container" },
        1: { replicas: 1, runsAs: "container" },
        2: fromTier2,
        3: fromTier2,
    };
}

/** A scratch /tmp of `sizeLimit`: what most images write besides their data directory. */
function tmp(sizeLimit: string): WritablePath {
    return { path: "/tmp", sizeLimit };
}

/**
 * Ollama's replicas from tier 2: two, so a node drain (PDB maxUnavailable 1) or a rolling update
 * (replace first, maxSurge 0) always leaves one serving. Not a seed figure: the seed's single
 * inference server has no protection during drains. On the GPU pool each pod holds a GPU, so the
 * stacks that keep GPU nodes run at least two of them; without GPU nodes both run on CPUs.
 */
export const OLLAMA_MIN_REPLICAS = 2;

/** Seed 002 section 1.2 "Agent Services (7 containers): Per Agent: 256MB RAM, 5% CPU"; 2-5 per type (section 2.1). */
const AGENTS: Array<{ name: string; description: string }> = [
    { name: "agent-orchestrator", description: "Routes tasks from the queue to the agent types" },
    { name: "autogpt", description: "AutoGPT autonomous task agent" },
    { name: "crewai", description: "CrewAI multi-agent crews" },
    { name: "localagi", description: "LocalAGI agent running against the local Ollama" },
    { name: "letta", description: "Letta (MemGPT) agent with long-term memory" },
    { name: "aider", description: "Aider code-editing agent" },
    { name: "gpt-engineer", description: "GPT-Engineer code-generation agent" },
];

function agent(name: string, description: string): ServiceDefinition {
    return {
        name,
        description,
        image: `ghcr.io/sutazai/${name}:1.0.0`,
        ports: [8080],
        kind: "stateless",
        group: "agents",
        resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        healthPath: "/health",
        // Agents keep their work (checked-out code, generated files) in /tmp.
        writablePaths: [tmp("1Gi")],
        ephemeralStorage: { request: "512Mi", limit: "2Gi" },
        tiers: stateless(2, 5),
    };
}

/** Ollama on tiers 0-1: seed 002 section 1.2 (2GB RAM, 50% CPU of a 4-core host during inference). */
const OLLAMA_ON_COMPOSE_TIERS = { requests: { cpu: "1000m", memory: "2Gi" }, limits: { cpu: "2000m", memory: "4Gi" } };

export const sutazaiCatalog: ServiceCatalog = {
    name: "sutazai",
    services: [
        {
            name: "backend-api",
            description: "FastAPI backend: REST API, sessions in Redis, tasks to RabbitMQ",
            image: "ghcr.io/sutazai/backend-api:1.0.0",
            ports: [8000],
            kind: "stateless",
            group: "application",
            // Seed 002 section 3.3: Kubernetes requests 500m/1Gi, limits 2000m/2Gi.
            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2000m", memory: "2Gi" } },
            healthPath: "/health",
            // Uploads are spooled to /tmp before they go to the stores.
            writablePaths: [tmp("1Gi")],
            ephemeralStorage: { request: "512Mi", limit: "2Gi" },
            tiers: {
                ...stateless(3, 10),
                // Seed 002 section 3.1: on the single host the backend reserves a whole core
                // (compose cpus 2.0 / 2G, reservations 1.0 / 1G).
                0: { replicas: 1, resources: { requests: { cpu: "1000m", memory: "1Gi" }, limits: { cpu: "2000m", memory: "2Gi" } } },
            },
        },
        {
            name: "frontend",
            description: "Web UI (Streamlit), sticky sessions at the load balancer",
            image: "ghcr.io/sutazai/frontend:1.0.0",
            ports: [8501],
            kind: "stateless",
            group: "application",
            resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
            healthPath: "/_stcore/health",
            writablePaths: [tmp("512Mi")],
            ephemeralStorage: { request: "256Mi", limit: "1Gi" },
            tiers: stateless(2, 5),
        },
        ...AGENTS.map((a) => agent(a.name, a.description)),
        {
            name: "ollama",
            description: "Ollama LLM inference (tinyllama); GPU node pool from tier 2",
            image: "ollama/ollama:0.5.7",
            ports: [11434],
            kind: "gpu",
            group: "llm",
            // Seed 002 section 1.2: Ollama 2GB RAM, 50% CPU during inference.
            resources: { requests: { cpu: "1000m", memory: "2Gi" }, limits: { cpu: "4000m", memory: "4Gi" } },
            storage: { size: "50Gi", mountPath: "/root/.ollama" },
            // Ready once the API lists models; alive while the server answers at all. Loading a
            // model on a CPU node can take minutes: the startup probe waits up to 5.
            healthPath: "/api/tags",
            probes: { livenessPath: "/", startupSeconds: 300 },
            // The runners are unpacked into /tmp at start (about 1 GiB with the CUDA libraries).
            writablePaths: [tmp("2Gi")],
            // Models are cached in the 50Gi storage emptyDir: the request covers the default model
            // and the runners, the limit the whole cache.
            ephemeralStorage: { request: "8Gi", limit: "53Gi" },
            tiers: {
                // Compose tiers: CPU limit 2. Docker refuses a container whose CPU limit exceeds
                // its node's CPUs, and the smallest compose-tier node (t3.medium) has 2; the single
                // host uses the same figures, so both files run on any 2-CPU Docker host.
                0: { replicas: 1, resources: OLLAMA_ON_COMPOSE_TIERS },
                1: { replicas: 1, resources: OLLAMA_ON_COMPOSE_TIERS },
                // Seed 002 section 4.2: add a GPU node per queue growth, max 3 (the gpu pool maximum);
                // at least OLLAMA_MIN_REPLICAS, so a drain never takes the only one.
                2: { replicas: OLLAMA_MIN_REPLICAS, autoscaling: hpa(OLLAMA_MIN_REPLICAS, NODE_POOLS.gpu.max) },
                3: { replicas: OLLAMA_MIN_REPLICAS, autoscaling: hpa(OLLAMA_MIN_REPLICAS, NODE_POOLS.gpu.max) },
            },
        },
        {
            name: "postgresql",
            description: "PostgreSQL primary; managed (RDS) with read replicas from tier 2",
            image: "postgres:16.6-alpine",
            ports: [5432],
            kind: "stateful",
            group: "core",
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
            storage: { size: "20Gi", mountPath: "/var/lib/postgresql/data" },
            // Ready when it accepts connections; crash recovery after an unclean stop can take minutes.
            probes: { readinessCommand: ["pg_isready", "-h", "127.0.0.1", "-p", "5432"], startupSeconds: 300 },
            // The server's socket and lock file, and sort spill files.
            writablePaths: [{ path: "/var/run/postgresql", sizeLimit: "16Mi" }, tmp("1Gi")],
            ephemeralStorage: { request: "256Mi", limit: "2Gi" },
            // Managed: one primary; read replicas come from the stack config (databaseReadReplicas).
            tiers: stateful({ replicas: 1, runsAs: "managed" }),
        },
        {
            name: "redis",
            description: "Redis cache and session store; managed (ElastiCache, 3 nodes like Sentinel) from tier 2",
            image: "redis:7.4-alpine",
            ports: [6379],
            kind: "stateful",
            group: "core",
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            storage: { size: "5Gi", mountPath: "/data" },
            probes: { readinessCommand: ["redis-cli", "ping"] },
            writablePaths: [tmp("256Mi")],
            ephemeralStorage: { request: "128Mi", limit: "1Gi" },
            tiers: stateful({ replicas: DATA_REPLICATION.redisNodes, runsAs: "managed" }),
        },
        {
            name: "neo4j",
            description: "Neo4j graph store; causal cluster of 3 cores from tier 2",
            image: "neo4j:5.26",
            ports: [7474, 7687],
            kind: "stateful",
            group: "core",
            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2000m", memory: "2Gi" } },
            storage: { size: "20Gi", mountPath: "/data" },
            // Ready when the HTTP API answers; a core joining its cluster (store copy, catch-up)
            // may take 10 minutes before anything answers.
            healthPath: "/",
            probes: { startupSeconds: 600 },
            // Logs, the pid file and the import scratch space.
            writablePaths: [{ path: "/logs", sizeLimit: "2Gi" }, { path: "/var/lib/neo4j/run", sizeLimit: "16Mi" }, tmp("1Gi")],
            ephemeralStorage: { request: "1Gi", limit: "4Gi" },
            tiers: stateful({ replicas: DATA_REPLICATION.neo4jCores, runsAs: "container" }),
        },
        {
            name: "rabbitmq",
            description: "RabbitMQ task queues; 3-node quorum cluster from tier 2",
            image: "rabbitmq:3.13-management-alpine",
            ports: [5672, 15672],
            kind: "stateful",
            group: "core",
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
            storage: { size: "10Gi", mountPath: "/var/lib/rabbitmq" },
            // Ready when the node accepts connections on its listeners; restoring quorum queues after a restart takes a while.
            probes: { readinessCommand: ["rabbitmq-diagnostics", "-q", "check_port_connectivity"], startupSeconds: 180 },
            writablePaths: [{ path: "/var/log/rabbitmq", sizeLimit: "1Gi" }, tmp("256Mi")],
            ephemeralStorage: { request: "512Mi", limit: "2Gi" },
            tiers: stateful({ replicas: DATA_REPLICATION.rabbitmqNodes, runsAs: "container" }),
        },
        {
            name: "chromadb",
            description: "ChromaDB vector store",
            image: "chromadb/chroma:0.5.23",
            ports: [8000],
            kind: "stateful",
            group: "vector",
            resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
            storage: { size: "10Gi", mountPath: "/chroma/chroma" },
            healthPath: "/api/v1/heartbeat",
            writablePaths: [tmp("1Gi")],
            ephemeralStorage: { request: "256Mi", limit: "2Gi" },
            tiers: stateful({ replicas: 1, runsAs: "container" }),
        },
        {
            name: "qdrant",
            description: "Qdrant vector store; distributed with 3 replicas from tier 2 (seed 003)",
            image: "qdrant/qdrant:v1.12.5",
            ports: [6333, 6334],
            kind: "stateful",
            group: "vector",
            resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
            storage: { size: "10Gi", mountPath: "/qdrant/storage" },
            // Qdrant's own endpoints: ready once its shards are, alive while the process serves.
            healthPath: "/readyz",
            probes: { livenessPath: "/livez" },
            writablePaths: [{ path: "/qdrant/snapshots", sizeLimit: "2Gi" }, tmp("256Mi")],
            ephemeralStorage: { request: "512Mi", limit: "3Gi" },
            tiers: stateful({ replicas: 3, runsAs: "container" }),
        },
        {
            name: "prometheus",
            description: "Prometheus metrics",
            image: "prom/prometheus:v2.55.1",
            ports: [9090],
            kind: "stateful",
            group: "monitoring",
            resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
            storage: { size: "20Gi", mountPath: "/prometheus" },
            // Prometheus's own endpoints: ready once the TSDB is loaded, healthy while it runs.
            healthPath: "/-/ready",
            probes: { livenessPath: "/-/healthy" },
            // Everything it writes goes to its data volume.
            writablePaths: [],
            ephemeralStorage: { request: "128Mi", limit: "512Mi" },
            tiers: stateful({ replicas: 1, runsAs: "container" }),
        },
        {
            name: "grafana",
            description: "Grafana dashboards (state in its own volume)",
            image: "grafana/grafana:11.4.0",
            ports: [3000],
            kind: "stateful",
            group: "monitoring",
            resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            storage: { size: "5Gi", mountPath: "/var/lib/grafana" },
            healthPath: "/api/health",
            writablePaths: [{ path: "/var/log/grafana", sizeLimit: "512Mi" }, tmp("256Mi")],
            ephemeralStorage: { request: "128Mi", limit: "1Gi" },
            tiers: stateful({ replicas: 1, runsAs: "container" }),
        },
        {
            name: "loki",
            description: "Loki log aggregation",
            image: "grafana/loki:3.3.2",
            ports: [3100],
            kind: "stateful",
            group: "monitoring",
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            storage: { size: "20Gi", mountPath: "/loki" },
            healthPath: "/ready",
            writablePaths: [tmp("512Mi")],
            ephemeralStorage: { request: "256Mi", limit: "1Gi" },
            tiers: stateful({ replicas: 1, runsAs: "container" }),
        },
    ],
};
