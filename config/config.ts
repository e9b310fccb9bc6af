/**
 * Typed stack configuration. Every key of `Pulumi.<stack>.yaml` under the project namespace
 * is parsed and validated here, before any resource is declared.
 * The keys, their types, defaults and allowed values are listed in infra/README.md.
 */
import * as fs from "fs";
import * as path from "path";
import { distance as distance_ } from "fastest-levenshtein";
import { parse as parseYaml } from "yaml";
import { DNS_LABEL, domainOf, emailList, existingFile, localPath, parseRegions } from "./configFields";
import { Tier, TIERS } from "../contract/catalog";
import { CatalogError, loadCatalogFile } from "./catalog";
import { parseCpuCores, parseMemoryBytes } from "../contract/quantities";
import { COST_CONTROLS, DATA_REPLICATION, HOURS_PER_MONTH, INSTANCE_TYPES, NODE_POOLS, REGIONS, SWARM } from "../contract/seedFigures";
import { SYNC_DEFAULT_IMAGE } from "../contract/syncImage";
import { KubernetesTierSizes, NodePoolConfig } from "../contract/nodePools";
import { EnforcementLevel, ENFORCEMENT_LEVELS, LOWEST_TIER, Platform, PLATFORMS } from "../contract/tiers";

export { ENFORCEMENT_LEVELS, LOWEST_TIER, PLATFORMS };
export type { EnforcementLevel, NodePoolConfig, Platform };

export interface StackConfig {
    /** Pulumi project and stack names (from the runtime, not the stack file). */
    project: string;
    stack: string;
    /** Scaling tier 0-3 (seed 002 section 3). Key: `tier`. */
    tier: Tier;
    /** Environment name, e.g. dev or prod. Key: `environment` (default: the stack name). */
    environment: string;
    /**
     * aws: the full AWS topology; kubernetes: only the Kubernetes workloads, OTP gate and sync,
     * deployed to existing clusters or rendered to YAML (tiers 2-3 only). Key: `platform`.
     */
    platform: Platform;
    /**
     * Primary region first, then secondaries (tier 3 uses all, lower tiers only the primary).
     * Keys: `primaryRegion`, `secondaryRegions` (JSON list).
     */
    regions: { primary: string; secondaries: string[] };
    cost: {
        /** Monthly budget of the stack in USD. Key: `monthlyCostCap` (default maxCostPerHour x 730 h). */
        monthlyCap: number;
        /** Seed 002 section 7.1: auto_scaling_limits.max_nodes = 20 (per cluster). Key: `maxNodes`. */
        maxNodes: number;
        /** Seed 002 section 7.1: max_cost_per_hour = $50. Key: `maxCostPerHour`. */
        maxCostPerHour: number;
        /** Addresses subscribed to the budget alerts (besides the alert topic). Key: `budgetAlertEmails` (JSON list). */
        alertEmails: string[];
    };
    dns: {
        /** Public name of the platform, e.g. ai.example.com. Key: `domain`. */
        domain: string;
        /** Existing Route 53 zone; created when absent. Key: `hostedZoneId`. */
        hostedZoneId?: string;
        /** Existing ACM certificate of the primary region; created (DNS-validated) when absent. Key: `certificateArn`. */
        certificateArn?: string;
    };
    /** VPC layout per region. Keys: `availabilityZones`, `natGateways`. */
    network: {
        /** Availability zones spanned by public and private subnets. */
        availabilityZones: number;
        /** NAT gateways (1 saves money, one per zone survives a zone outage). */
        natGateways: number;
    };
    /** Instance sizes (seed 002 section 7.1: dev t3.medium; prod c5.xlarge app, r5.2xlarge db, r5.large cache). */
    compute: {
        /** Tier 0 single host. Key: `hostInstanceType`. */
        hostInstanceType: string;
        /** Tier 0 data volume (docker volumes), GiB. Key: `hostDataVolumeGb`. */
        hostDataVolumeGb: number;
        /** Tier 1 swarm managers (always 3). Key: `swarmManagerInstanceType`. */
        swarmManagerInstanceType: string;
        /** Tier 1 swarm workers (2-5). Keys: `swarmWorkerInstanceType`, `swarmWorkersMin|Desired|Max`. */
        swarmWorkers: NodePoolConfig;
    } & KubernetesTierSizes;
    kubernetes: {
        /** EKS version. Key: `kubernetesVersion`. */
        version: string;
        /** platform kubernetes: absolute path of a kubeconfig of existing clusters (context per region name, or the current one). Key: `kubeconfig`. */
        kubeconfig?: string;
        /** platform kubernetes: render manifests into `<renderDir>/<region>/` instead of applying them (absolute). Key: `renderDir`. */
        renderDir?: string;
        /** platform kubernetes: existing StorageClass (one that encrypts its volumes) for StatefulSets. Key: `storageClass`. */
        storageClass: string;
        /**
         * platform kubernetes: apply with force, taking back fields other field managers took
         * (the driver sets it for the run of `--on-drift overwrite`). Key: `forceConflicts`.
         */
        forceConflicts: boolean;
    };
    /** Per-container maxima the resource-limits policy enforces. Keys: `maxContainerCpu`, `maxContainerMemory`. */
    limits: { maxContainerCpu: string; maxContainerMemory: string };
    /** Tier 3 cross-region sync. */
    sync: {
        /**
         * Image with Node.js 22 that runs the bundled sync service: the stock `node` image by
         * default; air-gapped clusters name their local registry's copy. Key: `syncImage`.
         */
        image: string;
    };
    /** Enforcement of the policy packs for this stack. Key: `policyEnforcement`. */
    policyEnforcement: EnforcementLevel;
    /** Reviewed exemptions from policies (key `policyExemptions`: a list of mappings). */
    policyExemptions: PolicyExemption[];
    /**
     * A service catalog of the user's own (YAML or JSON, the shape of `ServiceCatalog`) instead of
     * the default SutazAI catalog; absolute, or relative to the project. Key: `catalogFile`.
     */
    catalogFile?: string;
}

/**
 * A reviewed exception to one policy for some resources, with who approved it and until when.
 * Listed in the stack file only (key `policyExemptions`), never on a run's command line.
 */
export interface PolicyExemption {
    /** `pack/policy`, or a policy name alone (any pack). */
    policy: string;
    /** A resource URN, or a pattern over the resource's name or URN where `*` matches any text. */
    resource: string;
    reason: string;
    approver: string;
    /** Last day (UTC, YYYY-MM-DD) the exemption holds; from the next day the violation counts again. */
    expires: string;
}

export const EXEMPTION_FIELDS = ["policy", "resource", "reason", "approver", "expires"] as const;

/** Every problem of a stack configuration at once, each naming the key, the value and the fix. */
export class ConfigError extends Error {
    constructor(readonly problems: string[], project: string, stack: string) {
        super(
            `Invalid stack configuration for ${project}/${stack} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Default values, as the strings a stack file would hold; absent keys have no default. */
export const DEFAULTS: Readonly<Record<string, string>> = {
    tier: "0",
    platform: "aws",
    primaryRegion: REGIONS.primary,
    secondaryRegions: JSON.stringify(REGIONS.secondaries),
    maxNodes: String(COST_CONTROLS.maxNodes),
    maxCostPerHour: String(COST_CONTROLS.maxCostPerHour),
    availabilityZones: "3",
    natGateways: "1",
    hostInstanceType: INSTANCE_TYPES.development,
    hostDataVolumeGb: "100",
    swarmManagerInstanceType: INSTANCE_TYPES.development,
    swarmWorkerInstanceType: INSTANCE_TYPES.development,
    swarmWorkersMin: String(SWARM.workers.min),
    swarmWorkersDesired: String(SWARM.workers.min),
    swarmWorkersMax: String(SWARM.workers.max),
    generalNodeInstanceType: INSTANCE_TYPES.productionApplication,
    generalNodesMin: String(NODE_POOLS.general.min),
    generalNodesDesired: String(NODE_POOLS.general.min),
    generalNodesMax: String(NODE_POOLS.general.max),
    gpuNodeInstanceType: "g4dn.xlarge",
    gpuNodesMin: String(NODE_POOLS.gpu.min),
    gpuNodesDesired: String(NODE_POOLS.gpu.min),
    gpuNodesMax: String(NODE_POOLS.gpu.max),
    databaseInstanceClass: "db.t3.medium",
    databaseStorageGb: "100",
    databaseReadReplicas: String(DATA_REPLICATION.postgresReadReplicas),
    cacheNodeType: "cache.t3.medium",
    cacheNodes: String(DATA_REPLICATION.redisNodes),
    kubernetesVersion: "1.31",
    storageClass: "encrypted",
    forceConflicts: "false",
    maxContainerCpu: "4",
    maxContainerMemory: "8Gi",
    policyEnforcement: "advisory",
    syncImage: SYNC_DEFAULT_IMAGE,
};

/** Every key the project namespace may hold. */
export const KNOWN_KEYS: readonly string[] = [
    ...Object.keys(DEFAULTS),
    "environment",
    "monthlyCostCap",
    "budgetAlertEmails",
    "domain",
    "hostedZoneId",
    "certificateArn",
    "kubeconfig",
    "renderDir",
    "catalogFile",
    "policyExemptions",
].sort();

/** Largest whole number a key takes when it names no range of its own. */
const MAX_WHOLE_NUMBER = 100_000;
/** An EKS cluster's node limit is far below this; a larger maxNodes is a typo. */
const MAX_NODES_PER_CLUSTER = 1000;

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const K8S_VERSION = /^1\.\d{2}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/;
/** An image reference: [registry[:port]/]path[:tag][@sha256:digest], lower-case path. */
const IMAGE_REFERENCE = /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * Parses the project-namespace values of a stack (strings as `pulumi.Config` gives them, JSON
 * text for lists), applies defaults and validates. Throws one ConfigError listing every problem.
 * @param projectDir directory that relative paths (renderDir, kubeconfig) are resolved against.
 */
export function parseStackConfig(
    raw: Record<string, string | undefined>,
    project: string,
    stack: string,
    projectDir: string = process.cwd(),
): StackConfig {
    const problems: string[] = [];
    const key = (name: string) => `${project}:${name}`;
    const fail = (name: string, value: string | undefined, fix: string) =>
        problems.push(`${key(name)} = ${JSON.stringify(value)}: ${fix}`);

    const unknown = Object.keys(raw).filter((k) => raw[k] !== undefined && !KNOWN_KEYS.includes(k));
    for (const name of unknown) {
        const hint = closestKey(name);
        problems.push(
            `${key(name)} is not a known key${hint ? ` (did you mean "${hint}"?)` : ""}; known keys: ${KNOWN_KEYS.join(", ")}`,
        );
    }

    const text = (name: string): string | undefined => {
        const value = raw[name] ?? DEFAULTS[name];
        return value === undefined ? undefined : value.trim();
    };
    const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
        const value = text(name) as T;
        if (!allowed.includes(value)) fail(name, value, `allowed values: ${allowed.join(", ")}`);
        return value;
    };
    // Numbers are decimal only: "0x10", "1e3", ".inf" or "Infinity" are refused, not converted.
    const integer = (name: string, min: number, max: number = MAX_WHOLE_NUMBER): number => {
        const value = text(name);
        const parsed = value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
            fail(name, value, max === MAX_WHOLE_NUMBER ? `must be a whole number >= ${min} (decimal digits only, at most ${max})` : `must be a whole number ${min}..${max} (decimal digits only)`);
        }
        return parsed;
    };
    const positive = (name: string): number => {
        const value = text(name);
        const parsed = value !== undefined && /^\d{1,12}(\.\d{1,6})?$/.test(value) ? Number(value) : NaN;
        if (!Number.isFinite(parsed) || parsed <= 0) fail(name, value, "must be a decimal number greater than 0 (USD), such as 2500 or 49.5, below 1e12");
        return parsed;
    };
    const matching = (name: string, pattern: RegExp, fix: string): string => {
        const value = text(name) ?? "";
        if (!pattern.test(value)) fail(name, value, fix);
        return value;
    };
    const optional = (name: string, pattern: RegExp, fix: string): string | undefined =>
        text(name) === undefined || text(name) === "" ? undefined : matching(name, pattern, fix);

    // Tier and platform decide which of the remaining checks apply.
    const tierText = text("tier");
    const tier = Number(tierText) as Tier;
    const tierValid = tierText !== undefined && /^\d$/.test(tierText) && TIERS.includes(tier);
    if (!tierValid) fail("tier", tierText, `unknown tier; allowed values: ${TIERS.join(", ")}`);
    const platform = oneOf("platform", PLATFORMS);
    const environment = text("environment") || stack;
    if (!DNS_LABEL.test(environment)) {
        fail("environment", environment, "must be a lower-case DNS label (a-z, 0-9, -), e.g. dev or prod");
    }

    const regions = parseRegions(text("primaryRegion"), text("secondaryRegions"), platform, fail);
    if (tierValid && tier === 3 && regions.all.length < 2) {
        fail(
            "secondaryRegions",
            text("secondaryRegions"),
            `tier 3 (multi-region) needs at least 2 regions in total; add a secondary region, e.g. ${JSON.stringify(REGIONS.secondaries)}`,
        );
    }

    const maxCostPerHour = positive("maxCostPerHour");
    const monthlyCap =
        raw.monthlyCostCap === undefined ? maxCostPerHour * HOURS_PER_MONTH : positive("monthlyCostCap");
    const maxNodes = integer("maxNodes", 1, MAX_NODES_PER_CLUSTER);

    const pool = (prefix: string, instanceKey: string, floorOfMax: number): NodePoolConfig => {
        const result: NodePoolConfig = {
            instanceType: matching(instanceKey, INSTANCE_TYPE, "must be an EC2 instance type such as t3.medium"),
            minSize: integer(`${prefix}Min`, 0),
            desiredSize: integer(`${prefix}Desired`, 0),
            maxSize: integer(`${prefix}Max`, floorOfMax),
        };
        const { minSize, desiredSize, maxSize } = result;
        if ([minSize, desiredSize, maxSize].every(Number.isInteger) && !(minSize <= desiredSize && desiredSize <= maxSize)) {
            problems.push(
                `${key(`${prefix}Min`)}/${key(`${prefix}Desired`)}/${key(`${prefix}Max`)} = ${minSize}/${desiredSize}/${maxSize}: ` +
                    `must satisfy min <= desired <= max`,
            );
        }
        return result;
    };
    const swarmWorkers = pool("swarmWorkers", "swarmWorkerInstanceType", 1);
    const generalNodes = pool("generalNodes", "generalNodeInstanceType", 1);
    const gpuNodes = pool("gpuNodes", "gpuNodeInstanceType", 0);

    if (Number.isInteger(maxNodes) && tierValid && platform === "aws") {
        if (tier === 1 && SWARM.managers + swarmWorkers.maxSize > maxNodes) {
            problems.push(
                `${key("swarmWorkersMax")} = ${swarmWorkers.maxSize}: ${SWARM.managers} managers + ${swarmWorkers.maxSize} workers ` +
                    `exceed ${key("maxNodes")} = ${maxNodes}; lower swarmWorkersMax or raise maxNodes`,
            );
        }
        if (tier >= 2 && generalNodes.maxSize + gpuNodes.maxSize > maxNodes) {
            problems.push(
                `${key("generalNodesMax")} + ${key("gpuNodesMax")} = ${generalNodes.maxSize} + ${gpuNodes.maxSize}: ` +
                    `exceed ${key("maxNodes")} = ${maxNodes} per cluster; lower the pool maxima or raise maxNodes`,
            );
        }
    }

    const availabilityZones = integer("availabilityZones", 2, 4);
    const natGateways = integer("natGateways", 1, Number.isInteger(availabilityZones) ? availabilityZones : 4);
    const alertEmails = emailList(text("budgetAlertEmails"), fail);

    const maxContainerCpu = text("maxContainerCpu") ?? "";
    if (parseCpuCores(maxContainerCpu) === undefined || parseCpuCores(maxContainerCpu) === 0) {
        fail("maxContainerCpu", maxContainerCpu, `must be a CPU quantity such as "4" or "2500m"`);
    }
    const maxContainerMemory = text("maxContainerMemory") ?? "";
    if (parseMemoryBytes(maxContainerMemory) === undefined || parseMemoryBytes(maxContainerMemory) === 0) {
        fail("maxContainerMemory", maxContainerMemory, `must be a memory quantity such as "8Gi" or "512Mi"`);
    }

    const certificateArn = optional("certificateArn", CERTIFICATE_ARN, "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
    const certificateRegion = certificateArn ? CERTIFICATE_ARN.exec(certificateArn)?.[1] : undefined;
    if (certificateRegion && regions.primary && certificateRegion !== regions.primary) {
        fail("certificateArn", certificateArn, `the certificate must live in the primary region ${regions.primary}, not ${certificateRegion}`);
    }

    const kubernetes = {
        version: matching("kubernetesVersion", K8S_VERSION, `must be a Kubernetes minor version such as "1.31"`),
        kubeconfig: localPath("kubeconfig", text("kubeconfig"), projectDir, fail),
        renderDir: localPath("renderDir", text("renderDir"), projectDir, fail),
        storageClass: matching("storageClass", DNS_LABEL, "must be the name of an existing StorageClass (a DNS label)"),
        forceConflicts: oneOf("forceConflicts", ["true", "false"] as const) === "true",
    };
    if (platform === "kubernetes") {
        if (tierValid && tier < LOWEST_TIER.kubernetes) {
            fail("platform", platform, `platform kubernetes needs tier 2 or 3 (tier is ${tier}); use platform aws for tiers 0-1`);
        }
        if ((kubernetes.kubeconfig === undefined) === (kubernetes.renderDir === undefined)) {
            problems.push(
                `${key("kubeconfig")} / ${key("renderDir")}: platform kubernetes needs exactly one of them ` +
                    `(kubeconfig = existing clusters, renderDir = write manifests for air-gapped clusters)`,
            );
        }
    } else {
        for (const name of ["kubeconfig", "renderDir"] as const) {
            if (kubernetes[name] !== undefined) fail(name, text(name), "only applies to platform kubernetes; remove it or set platform: kubernetes");
        }
    }

    const config: StackConfig = {
        project,
        stack,
        tier,
        environment,
        platform,
        regions: { primary: regions.primary, secondaries: regions.secondaries },
        cost: { monthlyCap, maxNodes, maxCostPerHour, alertEmails },
        dns: {
            domain: domainOf(raw.domain, environment, fail),
            hostedZoneId: optional("hostedZoneId", HOSTED_ZONE_ID, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ"),
            certificateArn,
        },
        network: { availabilityZones, natGateways },
        compute: {
            hostInstanceType: matching("hostInstanceType", INSTANCE_TYPE, "must be an EC2 instance type such as t3.medium"),
            hostDataVolumeGb: integer("hostDataVolumeGb", 8, 16384),
            swarmManagerInstanceType: matching("swarmManagerInstanceType", INSTANCE_TYPE, "must be an EC2 instance type such as t3.medium"),
            swarmWorkers,
            generalNodes,
            gpuNodes,
            databaseInstanceClass: matching("databaseInstanceClass", /^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.r5.2xlarge"),
            databaseStorageGb: integer("databaseStorageGb", 20, 65536),
            databaseReadReplicas: integer("databaseReadReplicas", 0, 5),
            cacheNodeType: matching("cacheNodeType", /^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type such as cache.r5.large"),
            cacheNodes: integer("cacheNodes", 1, 6),
        },
        kubernetes,
        limits: { maxContainerCpu, maxContainerMemory },
        sync: { image: matching("syncImage", IMAGE_REFERENCE, "must be an image reference with Node.js 22, e.g. node:22.23.5-alpine or registry.local:5000/library/node:22.23.5-alpine") },
        policyEnforcement: oneOf("policyEnforcement", ENFORCEMENT_LEVELS),
        policyExemptions: parseExemptions(text("policyExemptions"), (fix) => problems.push(`${key("policyExemptions")}: ${fix}`)),
        catalogFile: existingFile("catalogFile", localPath("catalogFile", text("catalogFile"), projectDir, fail), fail),
    };
    if (config.catalogFile === undefined) delete config.catalogFile;
    else {
        // The catalog is part of the stack's config: validated with it, before any engine runs.
        try {
            loadCatalogFile(config.catalogFile);
        } catch (e) {
            const details = e instanceof CatalogError ? e.problems : [(e as Error).message];
            for (const detail of details) fail("catalogFile", text("catalogFile"), `${config.catalogFile}: ${detail.startsWith(config.catalogFile) ? detail.slice(config.catalogFile.length + 2) : detail}`);
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(problems, project, stack);
    }
    return config;
}

/** Parses the `policyExemptions` list (JSON text of the stack file's YAML list); every bad entry is reported. */
export function parseExemptions(value: string | undefined, report: (fix: string) => void): PolicyExemption[] {
    if (value === undefined || value === "") return [];
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        report(`must be a list of exemptions (policy, resource, reason, approver, expires), not ${JSON.stringify(value)}`);
        return [];
    }
    if (!Array.isArray(parsed)) {
        report("must be a list of exemptions, each a mapping of policy, resource, reason, approver and expires (YYYY-MM-DD)");
        return [];
    }
    const exemptions: PolicyExemption[] = [];
    parsed.forEach((entry: unknown, i: number) => {
        const at = `entry ${i + 1}`;
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            report(`${at} is ${JSON.stringify(entry)}, expected a mapping of ${EXEMPTION_FIELDS.join(", ")}`);
            return;
        }
        const e = entry as Record<string, unknown>;
        let ok = true;
        for (const field of Object.keys(e)) {
            if (!(EXEMPTION_FIELDS as readonly string[]).includes(field)) {
                report(`${at}: unknown field "${field}"; fields: ${EXEMPTION_FIELDS.join(", ")}`);
                ok = false;
            }
        }
        for (const field of EXEMPTION_FIELDS) {
            if (typeof e[field] !== "string" || !(e[field] as string).trim()) {
                report(`${at}: ${field} is missing or empty (every exemption names its policy, resource, reason, approver and expiry)`);
                ok = false;
            }
        }
        const expires = typeof e.expires === "string" ? e.expires.trim() : "";
        if (expires && !(/^\d{4}-\d{2}-\d{2}$/.test(expires) && !Number.isNaN(Date.parse(`${expires}T00:00:00Z`)) && new Date(`${expires}T00:00:00Z`).toISOString().startsWith(expires))) {
            report(`${at}: expires "${expires}" is not a date YYYY-MM-DD`);
            ok = false;
        }
        if (ok) exemptions.push({ policy: (e.policy as string).trim(), resource: (e.resource as string).trim(), reason: (e.reason as string).trim(), approver: (e.approver as string).trim(), expires });
    });
    return exemptions;
}

/** Nearest known key by edit distance, for "did you mean" hints on typos. */
function closestKey(name: string): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const known of KNOWN_KEYS) {
        const distance = distance_(name.toLowerCase(), known.toLowerCase());
        if (!best || distance < best.distance) best = { key: known, distance };
    }
    return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.key : undefined;
}

/**
 * The folder holding Pulumi.yaml above `from`: relative paths in the stack file (renderDir,
 * kubeconfig) are relative to it, whatever working directory the language host chose.
 */
export function projectDirOf(from: string): string {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return process.cwd();
    }
}

/**
 * Project-namespace values of a `Pulumi.<stack>.yaml` text as the strings `pulumi.Config` would
 * give (numbers and booleans as text, lists and objects as JSON), for running the program
 * outside the Pulumi CLI (offline engine, tests).
 */
export function configFromStackFile(yamlText: string, project: string): Record<string, string> {
    const document = (parseYaml(yamlText) ?? {}) as { config?: Record<string, unknown> };
    const raw: Record<string, string> = {};
    const prefix = `${project}:`;
    for (const [fullKey, value] of Object.entries(document.config ?? {})) {
        if (!fullKey.startsWith(prefix)) continue;
        raw[fullKey.slice(prefix.length)] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return raw;
}
