/**
 * Renders the catalog as a docker compose file: for the single host (tier 0, `docker compose up`)
 * or as a swarm stack (tier 1, `docker stack deploy`). Every service gets
 * `deploy.resources.limits` and `reservations`, derived from the catalog's limits and requests
 * (seed 002 section 3.1), so the figures live in the catalog only.
 *
 * What the figures mean differs between the two (the file's header says it too):
 * - single host, Compose v2: limits are enforced (cgroup memory limit, CPU quota);
 *   `reservations.memory` becomes a soft limit (memory.soft_limit_in_bytes, reclaimed towards
 *   under pressure, not a guarantee) and Compose v2 ignores `reservations.cpus`, so each service
 *   also gets `cpu_shares` = its CPU reservation x 1024 (the weight the kubelet gives a CPU
 *   request), which holds the reservation under contention once the reservations fit the host.
 *   Nothing on one host refuses a container that does not fit: the compose-fits-host policy
 *   checks the sums against the host's instance type before deployment.
 * - swarm: the scheduler places tasks by their reservations and leaves a task Pending when no
 *   node has room; limits are enforced on the node.
 * Services that keep data on a node-local volume update stop-first in swarm (two containers
 * never share one data directory) and are spread over data slots, one per manager (see
 * `dataSlots`); every manager's converge step keeps each slot's node label on one ready
 * manager (components/tier1/swarmUserData.ts).
 */
import { stringify } from "yaml";
import { resourcesAt } from "../../contract/catalog";
import { ServiceCatalog, ServiceDefinition, Tier } from "../../contract/catalog";
import { composeCpus, composeMemory, parseCpuCores, parseMemoryBytes } from "../../contract/quantities";
import { SWARM } from "../../contract/seedFigures";

export type ComposeMode = "compose" | "swarm";

export interface ComposeOptions {
    /** compose: one host (tier 0); swarm: a stack file for `docker stack deploy` (tier 1). */
    mode: ComposeMode;
    /** Project name (compose `name`). */
    project: string;
}

/** Catalog groups whose ports are published to the load balancer. */
const PUBLISHED_GROUPS: ReadonlySet<string> = new Set(["application"]);

/** Name of the application network: an encrypted overlay in swarm mode. */
export const APP_NETWORK = "platform";

/**
 * Passwords the containers read from files (generated on the host at boot, or swarm secrets
 * created by the first manager), so no credential is in the compose file or the Pulumi state.
 */
export const SERVICE_SECRETS: Readonly<Record<string, { secret: string; env: string }>> = {
    postgresql: { secret: "postgres_password", env: "POSTGRES_PASSWORD_FILE" },
    grafana: { secret: "grafana_admin_password", env: "GF_SECURITY_ADMIN_PASSWORD__FILE" },
};

/** Directory on the host where tier 0's boot script writes the generated secret files. */
export const HOST_SECRETS_DIR = "/opt/ai-platform/secrets";

/** Node label prefix of the data slots: a node holding slot n carries `ai-platform.data-slot-<n>=true`. */
export const DATA_SLOT_LABEL_PREFIX = "ai-platform.data-slot-";

/** Data slots of the swarm: one per manager (seed 002 section 3.2: 3 managers). */
export const DATA_SLOTS = SWARM.managers;

/** CPU weight of one reserved core on the single host (the kubelet's cpu.shares per core). */
export const CPU_SHARES_PER_CORE = 1024;

function tierOf(mode: ComposeMode): Tier {
    return mode === "compose" ? 0 : 1;
}

/** A service whose data lives on the node it runs on (a named local volume, or stateful by kind). */
export function holdsLocalData(service: ServiceDefinition): boolean {
    return service.kind !== "stateless" || service.storage !== undefined;
}

/** The docker `cpu_shares` that carries a CPU reservation on the single host (at least 2, docker's minimum). */
export function cpuSharesFor(cpuQuantity: string): number {
    return Math.max(2, Math.round((parseCpuCores(cpuQuantity) ?? 0) * CPU_SHARES_PER_CORE));
}

/**
 * The data slot (1..slots) of every service that holds local data at tier 1: largest
 * reservation first (memory, then CPU), each onto the slot with the least memory reserved so
 * far, so the slots (one per manager) carry about the same load.
 */
export function dataSlots(catalog: ServiceCatalog, slots: number = DATA_SLOTS): Map<string, number> {
    const demand = (s: ServiceDefinition) => {
        const { requests } = resourcesAt(s, 1);
        return { memory: parseMemoryBytes(requests.memory) ?? 0, cpu: parseCpuCores(requests.cpu) ?? 0 };
    };
    const services = catalog.services
        .filter(holdsLocalData)
        .map((s) => ({ name: s.name, ...demand(s) }))
        .sort((a, b) => b.memory - a.memory || b.cpu - a.cpu || a.name.localeCompare(b.name));
    const load = Array.from({ length: slots }, () => ({ memory: 0, cpu: 0 }));
    const assigned = new Map<string, number>();
    for (const service of services) {
        let best = 0;
        for (let i = 1; i < slots; i++) {
            if (load[i].memory < load[best].memory || (load[i].memory === load[best].memory && load[i].cpu < load[best].cpu)) best = i;
        }
        load[best].memory += service.memory;
        load[best].cpu += service.cpu;
        assigned.set(service.name, best + 1);
    }
    return assigned;
}

/** Compose limits = the tier's limits, reservations = the tier's requests. */
function resources(service: ServiceDefinition, tier: Tier) {
    const { limits, requests } = resourcesAt(service, tier);
    return {
        limits: { cpus: composeCpus(limits.cpu), memory: composeMemory(limits.memory) },
        reservations: { cpus: composeCpus(requests.cpu), memory: composeMemory(requests.memory) },
    };
}

function composeService(service: ServiceDefinition, options: ComposeOptions, slots: Map<string, number>): Record<string, unknown> {
    const tier = tierOf(options.mode);
    const placement = service.tiers[tier];
    const deploy: Record<string, unknown> = { resources: resources(service, tier) };
    if (options.mode === "swarm") {
        deploy.replicas = placement.replicas;
        const slot = slots.get(service.name);
        // Stateless: start the new task before stopping the old one (the swarm form of maxSurge 1 /
        // maxUnavailable 0). Local data: stop first, so two containers never share one data directory.
        deploy.update_config = { parallelism: 1, order: slot === undefined ? "start-first" : "stop-first", failure_action: "rollback" };
        deploy.restart_policy = { condition: "any", delay: "5s" };
        if (slot !== undefined) {
            // Volumes are node-local in swarm: the service stays on the manager that holds its slot's label.
            deploy.placement = { constraints: ["node.role == manager", `node.labels.${DATA_SLOT_LABEL_PREFIX}${slot} == true`] };
        }
    }
    const definition: Record<string, unknown> = {
        image: service.image,
        ...(options.mode === "compose" ? { restart: "unless-stopped", cpu_shares: cpuSharesFor(resourcesAt(service, tier).requests.cpu) } : {}),
        networks: [APP_NETWORK],
        deploy,
    };
    if (PUBLISHED_GROUPS.has(service.group)) {
        definition.ports = service.ports.map((port) => ({ target: port, published: port, protocol: "tcp", mode: "ingress" }));
    }
    if (service.storage) {
        definition.volumes = [`${service.name}-data:${service.storage.mountPath}`];
    }
    const secret = SERVICE_SECRETS[service.name];
    if (secret) {
        definition.secrets = [secret.secret];
        definition.environment = { [secret.env]: `/run/secrets/${secret.secret}` };
    }
    return definition;
}

/** The compose document as an object (for tests and policies). */
export function composeDocument(catalog: ServiceCatalog, options: ComposeOptions): Record<string, any> {
    const slots = options.mode === "swarm" ? dataSlots(catalog) : new Map<string, number>();
    const services = Object.fromEntries(catalog.services.map((s) => [s.name, composeService(s, options, slots)]));
    const volumes = Object.fromEntries(catalog.services.filter((s) => s.storage).map((s) => [`${s.name}-data`, {}]));
    const network =
        options.mode === "swarm"
            ? { driver: "overlay", attachable: false, driver_opts: { encrypted: "true" } }
            : { driver: "bridge" };
    const usedSecrets = catalog.services.map((s) => SERVICE_SECRETS[s.name]).filter((s) => s !== undefined);
    const secrets = Object.fromEntries(
        usedSecrets.map((s) => [s.secret, options.mode === "swarm" ? { external: true } : { file: `${HOST_SECRETS_DIR}/${s.secret}` }]),
    );
    return {
        ...(options.mode === "compose" ? { name: options.project } : {}),
        services,
        networks: { [APP_NETWORK]: network },
        ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
        ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    };
}

const MODE_NOTES: Record<ComposeMode, string> = {
    compose: `# Single host, Compose v2: deploy.resources.limits are hard limits (memory limit, CPU quota).
# reservations.memory is a soft limit (reclaimed towards under memory pressure, not a guarantee)
# and Compose v2 ignores reservations.cpus: cpu_shares carries each CPU reservation as a weight
# (1024 per core). Nothing here refuses a container that does not fit the host; the
# compose-fits-host policy checks the sums against the host's instance type before deployment.
`,
    swarm: `# Swarm stack: the scheduler places tasks by deploy.resources.reservations (a task stays Pending
# when no node has room) and nodes enforce the limits. Services with local data update
# stop-first and run on the manager holding their data slot's label (node.labels.${DATA_SLOT_LABEL_PREFIX}<n>),
# which every manager's converge step keeps on one ready manager.
`,
};

/** The compose file text (YAML). */
export function renderComposeFile(catalog: ServiceCatalog, options: ComposeOptions): string {
    const header = `# Rendered from the service catalog "${catalog.name}" (${options.mode} mode); edit the catalog, not this file.\n${MODE_NOTES[options.mode]}`;
    return header + stringify(composeDocument(catalog, options), { lineWidth: 0 });
}

/** Names of the secrets the services of a catalog read (for the boot scripts that create them). */
export function requiredSecrets(catalog: ServiceCatalog): string[] {
    return catalog.services.map((s) => SERVICE_SECRETS[s.name]?.secret).filter((s): s is string => s !== undefined);
}

/** Ports published to the load balancer, service by service. */
export function publishedPorts(catalog: ServiceCatalog): Array<{ service: string; port: number }> {
    return catalog.services
        .filter((s) => PUBLISHED_GROUPS.has(s.group))
        .flatMap((s) => s.ports.map((port) => ({ service: s.name, port })));
}
