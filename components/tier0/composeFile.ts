/**
 * Renders the catalog as a docker compose file: for the single host (tier 0, `docker compose up`)
 * or as a swarm stack (tier 1, `docker stack deploy`). Every service gets
 * `deploy.resources.limits` and `reservations`, derived from the catalog's limits and requests
 * (seed 002 section 3.1), so the figures live in the catalog only.
 */
import { stringify } from "yaml";
import { resourcesAt } from "../../infra/catalog";
import { ServiceCatalog, ServiceDefinition, Tier } from "../../infra/catalog/types";
import { composeCpus, composeMemory } from "../../infra/quantity";

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

function tierOf(mode: ComposeMode): Tier {
    return mode === "compose" ? 0 : 1;
}

/** Compose limits = the tier's limits, reservations = the tier's requests. */
function resources(service: ServiceDefinition, tier: Tier) {
    const { limits, requests } = resourcesAt(service, tier);
    return {
        limits: { cpus: composeCpus(limits.cpu), memory: composeMemory(limits.memory) },
        reservations: { cpus: composeCpus(requests.cpu), memory: composeMemory(requests.memory) },
    };
}

function composeService(service: ServiceDefinition, options: ComposeOptions): Record<string, unknown> {
    const tier = tierOf(options.mode);
    const placement = service.tiers[tier];
    const deploy: Record<string, unknown> = { resources: resources(service, tier) };
    if (options.mode === "swarm") {
        deploy.replicas = placement.replicas;
        // Start the new task before stopping the old one: the swarm form of maxSurge 1 / maxUnavailable 0.
        deploy.update_config = { parallelism: 1, order: "start-first", failure_action: "rollback" };
        deploy.restart_policy = { condition: "any", delay: "5s" };
        if (service.kind !== "stateless") {
            // Volumes are node-local in swarm: pin stateful services to the node that holds their data.
            deploy.placement = { constraints: [`node.labels.ai-platform.data.${service.name} == true`] };
        }
    }
    const definition: Record<string, unknown> = {
        image: service.image,
        ...(options.mode === "compose" ? { restart: "unless-stopped" } : {}),
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
    const services = Object.fromEntries(catalog.services.map((s) => [s.name, composeService(s, options)]));
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

/** The compose file text (YAML). */
export function renderComposeFile(catalog: ServiceCatalog, options: ComposeOptions): string {
    const header = `# Rendered from the service catalog "${catalog.name}" (${options.mode} mode); edit the catalog, not this file.\n`;
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
