/**
 * The service catalog: the default SutazAI catalog and the validation every catalog passes
 * before the program declares anything from it.
 */
import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { ContainerResources, ServiceCatalog, ServiceDefinition, TIERS } from "../../contract/catalog";
import { emptyDirsOf } from "../../contract/emptyDirs";
import { parseCpuCores, parseMemoryBytes } from "../../contract/quantities";
import { sutazaiCatalog } from "./sutazai";

export * from "../../contract/catalog";
export { sutazaiCatalog };

/** The catalog the program uses when none is passed. */
export const defaultCatalog: ServiceCatalog = sutazaiCatalog;

/**
 * A catalog of the user's own from a YAML or JSON file (the shape of `ServiceCatalog`; tier keys
 * "0".."3"), validated like the default one. Errors name the file and the field.
 */
export function loadCatalogFile(file: string): ServiceCatalog {
    let document: unknown;
    try {
        document = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new CatalogError([`${file}: not readable YAML/JSON (${(e as Error).message.split("\n")[0]})`], file);
    }
    const catalog = document as Partial<ServiceCatalog> | null;
    if (!catalog || typeof catalog !== "object" || Array.isArray(catalog) || !Array.isArray(catalog.services)) {
        throw new CatalogError([`${file}: must be a mapping with "name" and a "services" list`], file);
    }
    const loaded: ServiceCatalog = { name: typeof catalog.name === "string" && catalog.name ? catalog.name : file, services: catalog.services.map(quantitiesAsText) };
    validateCatalog(loaded);
    return loaded;
}

/**
 * YAML reads `cpu: 2` as a number; Kubernetes accepts it as the quantity "2". Numeric quantities
 * of a service's requests and limits (its own and its tiers') become text, so every reader of the
 * catalog sees quantities as the strings the types promise. Anything else is left to validation.
 */
function quantitiesAsText(service: ServiceDefinition): ServiceDefinition {
    if (service === null || typeof service !== "object") return service;
    const fix = (resources: ContainerResources | undefined) => {
        for (const part of [resources?.requests, resources?.limits]) {
            if (!part || typeof part !== "object") continue;
            for (const key of ["cpu", "memory"] as const) {
                if (typeof part[key] === "number") part[key] = String(part[key]);
            }
        }
    };
    fix(service.resources);
    for (const tier of TIERS) fix(service.tiers?.[tier]?.resources);
    return service;
}


export class CatalogError extends Error {
    constructor(readonly problems: string[], catalogName: string) {
        super(`Invalid service catalog "${catalogName}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "CatalogError";
    }
}

const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks names, quantities, requests <= limits, replica and HPA bounds, that every tier is placed,
 * and the Kubernetes hardening fields (writable paths, ephemeral storage, probes).
 */
export function validateCatalog(catalog: ServiceCatalog): void {
    const problems: string[] = [];
    if (!catalog.services || catalog.services.length === 0) {
        problems.push("services: the catalog has no services");
    }
    const seen = new Set<string>();
    for (const [index, service] of (catalog.services ?? []).entries()) {
        if (service === null || typeof service !== "object" || Array.isArray(service)) {
            problems.push(`services[${index}]: is ${JSON.stringify(service) ?? String(service)}, expected a service mapping (name, image, ports, resources, tiers)`);
            continue;
        }
        const at = typeof service.name === "string" && service.name ? `service "${service.name}"` : `services[${index}] (no name)`;
        if (!DNS_LABEL.test(service.name)) problems.push(`${at}: name must be a DNS label (a-z, 0-9, -)`);
        if (seen.has(service.name)) problems.push(`${at}: duplicate name; each service once`);
        seen.add(service.name);
        if (!service.image) problems.push(`${at}: image is empty`);
        if (!service.ports?.length || service.ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
            problems.push(`${at}: ports must be a non-empty list of 1..65535, got ${JSON.stringify(service.ports)}`);
        }

        checkResources(service.resources, at, problems);
        for (const tier of TIERS) {
            const override = service.tiers?.[tier]?.resources;
            if (override) checkResources(override, `${at} tier ${tier}`, problems);
        }
        if (service.storage && parseMemoryBytes(service.storage.size) === undefined) {
            problems.push(`${at}: storage.size "${service.storage.size}" is not a size (e.g. "20Gi")`);
        }
        checkWritablePaths(service, at, problems);
        checkEphemeralStorage(service, at, problems);
        checkProbes(service, at, problems);
        checkPlacements(service, at, problems);
    }
    if (problems.length > 0) throw new CatalogError(problems, catalog.name);
}

function checkResources(resources: ContainerResources | undefined, at: string, problems: string[]): void {
    if (resources === undefined || resources === null || typeof resources !== "object") {
        problems.push(`${at}: resources is missing: every service needs resources.requests and resources.limits (cpu and memory)`);
        return;
    }
    const { requests, limits } = resources;
    if (!limits) problems.push(`${at}: resources.limits is missing: a container without limits can starve its neighbours`);
    const cpu = { request: parseCpuCores(requests?.cpu ?? ""), limit: parseCpuCores(limits?.cpu ?? "") };
    const memory = { request: parseMemoryBytes(requests?.memory ?? ""), limit: parseMemoryBytes(limits?.memory ?? "") };
    if (cpu.request === undefined) problems.push(`${at}: resources.requests.cpu "${requests?.cpu}" is not a CPU quantity (e.g. "500m")`);
    if (cpu.limit === undefined) problems.push(`${at}: resources.limits.cpu "${limits?.cpu}" is not a CPU quantity (e.g. "2000m")`);
    if (memory.request === undefined) problems.push(`${at}: resources.requests.memory "${requests?.memory}" is not a memory quantity (e.g. "1Gi")`);
    if (memory.limit === undefined) problems.push(`${at}: resources.limits.memory "${limits?.memory}" is not a memory quantity (e.g. "2Gi")`);
    if (cpu.request !== undefined && cpu.limit !== undefined && cpu.request > cpu.limit) {
        problems.push(`${at}: cpu request ${requests.cpu} exceeds limit ${limits.cpu}; requests must be <= limits`);
    }
    if (memory.request !== undefined && memory.limit !== undefined && memory.request > memory.limit) {
        problems.push(`${at}: memory request ${requests.memory} exceeds limit ${limits.memory}; requests must be <= limits`);
    }
}

function checkPlacements(service: ServiceDefinition, at: string, problems: string[]): void {
    for (const tier of TIERS) {
        const placement = service.tiers?.[tier];
        if (!placement) {
            problems.push(`${at}: no placement for tier ${tier}; every tier 0-3 needs an entry`);
            continue;
        }
        if (!Number.isInteger(placement.replicas) || placement.replicas < 1) {
            problems.push(`${at} tier ${tier}: replicas ${placement.replicas} must be a whole number >= 1`);
        }
        const hpa = placement.autoscaling;
        if (!hpa) continue;
        if (!(Number.isInteger(hpa.minReplicas) && hpa.minReplicas >= 1)) {
            problems.push(`${at} tier ${tier}: autoscaling.minReplicas ${hpa.minReplicas} must be a whole number >= 1`);
        }
        if (hpa.minReplicas > hpa.maxReplicas) {
            problems.push(`${at} tier ${tier}: autoscaling min ${hpa.minReplicas} > max ${hpa.maxReplicas}; min must be <= max`);
        }
        if (placement.replicas < hpa.minReplicas || placement.replicas > hpa.maxReplicas) {
            problems.push(`${at} tier ${tier}: replicas ${placement.replicas} outside autoscaling bounds ${hpa.minReplicas}-${hpa.maxReplicas}`);
        }
        for (const field of ["cpuUtilization", "memoryUtilization"] as const) {
            if (!(hpa[field] > 0 && hpa[field] <= 100)) problems.push(`${at} tier ${tier}: autoscaling.${field} ${hpa[field]} must be 1..100 percent`);
        }
        for (const field of ["scaleUpWindowSeconds", "scaleDownWindowSeconds"] as const) {
            if (!(Number.isInteger(hpa[field]) && hpa[field] >= 0 && hpa[field] <= 3600)) {
                problems.push(`${at} tier ${tier}: autoscaling.${field} ${hpa[field]} must be 0..3600 seconds`);
            }
        }
    }
}

const ABSOLUTE_PATH = /^\/[^\0]*$/;

function checkWritablePaths(service: ServiceDefinition, at: string, problems: string[]): void {
    if (!Array.isArray(service.writablePaths)) {
        problems.push(`${at}: writablePaths is missing: list the paths the image writes to (e.g. [{ path: "/tmp", sizeLimit: "1Gi" }]), or [] when it writes only to its storage; the root filesystem is read-only`);
        return;
    }
    const seen = new Set<string>();
    service.writablePaths.forEach((entry, i) => {
        const field = `${at}: writablePaths[${i}]`;
        if (typeof entry?.path !== "string" || !ABSOLUTE_PATH.test(entry.path)) {
            problems.push(`${field}.path ${JSON.stringify(entry?.path)} must be an absolute path such as "/tmp"`);
        } else if (seen.has(entry.path)) {
            problems.push(`${field}.path "${entry.path}" is listed twice`);
        } else if (service.storage && entry.path === service.storage.mountPath) {
            problems.push(`${field}.path "${entry.path}" is the storage mount path, which is writable already; remove it`);
        }
        seen.add(entry?.path);
        const size = parseMemoryBytes(entry?.sizeLimit ?? "");
        if (size === undefined || size <= 0) problems.push(`${field}.sizeLimit ${JSON.stringify(entry?.sizeLimit)} is not a size (e.g. "1Gi")`);
    });
}

function checkEphemeralStorage(service: ServiceDefinition, at: string, problems: string[]): void {
    const spec = service.ephemeralStorage;
    if (!spec || typeof spec !== "object") {
        problems.push(`${at}: ephemeralStorage is missing: set { request, limit } of the node-local disk one container uses (e.g. { request: "512Mi", limit: "2Gi" })`);
        return;
    }
    const request = parseMemoryBytes(spec.request ?? "");
    const limit = parseMemoryBytes(spec.limit ?? "");
    if (request === undefined || request <= 0) problems.push(`${at}: ephemeralStorage.request ${JSON.stringify(spec.request)} is not a size (e.g. "512Mi")`);
    if (limit === undefined || limit <= 0) problems.push(`${at}: ephemeralStorage.limit ${JSON.stringify(spec.limit)} is not a size (e.g. "2Gi")`);
    if (request === undefined || limit === undefined) return;
    if (request > limit) problems.push(`${at}: ephemeralStorage.request ${spec.request} exceeds ephemeralStorage.limit ${spec.limit}; requests must be <= limits`);
    const dirs = emptyDirsOf(service);
    const held = dirs.reduce((sum, d) => sum + (parseMemoryBytes(d.sizeLimit) ?? 0), 0);
    if (held > limit) {
        problems.push(
            `${at}: ephemeralStorage.limit ${spec.limit} is below the emptyDirs it holds (${dirs.map((d) => `${d.path} ${d.sizeLimit}`).join(", ")}): ` +
                `the kubelet would evict the pod before they are full; raise the limit to at least their sum`,
        );
    }
}

function checkProbes(service: ServiceDefinition, at: string, problems: string[]): void {
    if (service.healthPath !== undefined && (typeof service.healthPath !== "string" || !service.healthPath.startsWith("/"))) {
        problems.push(`${at}: healthPath ${JSON.stringify(service.healthPath)} must be an HTTP path starting with "/"`);
    }
    const probes = service.probes;
    if (probes === undefined) return;
    if (probes.livenessPath !== undefined) {
        if (typeof probes.livenessPath !== "string" || !probes.livenessPath.startsWith("/")) {
            problems.push(`${at}: probes.livenessPath ${JSON.stringify(probes.livenessPath)} must be an HTTP path starting with "/"`);
        } else if (probes.livenessPath === service.healthPath) {
            problems.push(`${at}: probes.livenessPath "${probes.livenessPath}" is the healthPath: liveness must check something other than readiness (a path that answers while the process runs, or none for a TCP check)`);
        }
    }
    if (probes.readinessCommand !== undefined) {
        const command = probes.readinessCommand;
        if (!Array.isArray(command) || command.length === 0 || command.some((part) => typeof part !== "string" || part === "")) {
            problems.push(`${at}: probes.readinessCommand ${JSON.stringify(command)} must be a non-empty list of words, e.g. ["pg_isready", "-h", "127.0.0.1"]`);
        } else if (service.healthPath !== undefined) {
            problems.push(`${at}: probes.readinessCommand and healthPath both say when the service is ready; keep one`);
        }
    }
    if (probes.startupSeconds !== undefined && !(Number.isInteger(probes.startupSeconds) && probes.startupSeconds >= 10 && probes.startupSeconds <= 3600)) {
        problems.push(`${at}: probes.startupSeconds ${JSON.stringify(probes.startupSeconds)} must be a whole number of seconds 10..3600`);
    }
}
