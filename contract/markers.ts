/**
 * Tags (AWS) and labels/annotations (Kubernetes) that the components put on what they declare,
 * so that policies and the cost model can tell, from resource inputs alone, which region,
 * component and tier a resource belongs to and which resources form the OTP gate and the sync.
 * Components write these; policies and the cost model read them. Change them only here.
 */

/** AWS tag keys. */
export const TAG = {
    project: "ai-platform:project",
    stack: "ai-platform:stack",
    tier: "ai-platform:tier",
    region: "ai-platform:region",
    component: "ai-platform:component",
    /** Marks the role of a resource that policies look for (values in ROLE). */
    role: "ai-platform:role",
    /** Name of the OtpGate a gated resource depends on. */
    otpGate: "ai-platform:otp-gate",
    /** On a compose file: the Docker nodes it runs on (see formatDockerNodes). */
    dockerNodes: "ai-platform:docker-nodes",
} as const;

/** Kubernetes label and annotation keys (DNS-prefixed as Kubernetes requires). */
export const LABEL = {
    app: "app.kubernetes.io/name",
    partOf: "app.kubernetes.io/part-of",
    tier: "ai-platform.io/tier",
    region: "ai-platform.io/region",
    component: "ai-platform.io/component",
    role: "ai-platform.io/role",
} as const;

export const ANNOTATION = {
    /** On a gated workload: the name of the OtpGate whose seed it verifies requests with. */
    otpGate: "ai-platform.io/otp-gate",
} as const;

/** Values of TAG.role / LABEL.role. */
export const ROLE = {
    /** The secret holding an OtpGate's TOTP seed (Secrets Manager secret or Kubernetes Secret). */
    otpGateSecret: "otp-gate-secret",
    /** A workload that syncs state between regions; must be gated (see policies/otp-gated-sync). */
    crossRegionSync: "cross-region-sync",
    /** A resource that replicates data to another region (S3 replication, cross-region replicas). */
    crossRegionReplication: "cross-region-replication",
    /** The rendered docker compose file of tiers 0-1, so policies can read its limits. */
    composeFile: "compose-file",
} as const;

/**
 * Environment contract of the cross-region sync service (sync/main.ts reads it; the
 * MultiRegionSync component writes it; the otp-gated-sync rules check it). Secrets are never in
 * the environment: the TOTP seed and the payload key are files mounted from the OTP gate's
 * Secret, and the variables below only name those files.
 */
export const SYNC_ENV = {
    /** File holding the gate's base32 TOTP seed (a Secret volume, key OTP_SEED_KEY). */
    seedFile: "SYNC_OTP_SEED_FILE",
    /** File holding the gate's payload key material (a Secret volume, key PAYLOAD_KEY_KEY). */
    payloadKeyFile: "SYNC_PAYLOAD_KEY_FILE",
    /** Minimum TLS version of the service and its peer connections; the service accepts only "1.3". */
    tlsMinVersion: "SYNC_TLS_MIN_VERSION",
    /** PEM certificate chain and private key of the sync endpoint (a Secret volume). */
    tlsCertFile: "SYNC_TLS_CERT_FILE",
    tlsKeyFile: "SYNC_TLS_KEY_FILE",
    /** PEM CA bundle that peers' certificates are verified against (optional: system roots otherwise). */
    tlsCaFile: "SYNC_TLS_CA_FILE",
    /** This region's name. */
    region: "SYNC_REGION",
    /** The other regions: comma-separated `region=https://host[:port]`. */
    peers: "SYNC_PEERS",
    listenHost: "SYNC_LISTEN_HOST",
    listenPort: "SYNC_LISTEN_PORT",
    /** Directory of the durable store (a volume; the root file system stays read-only). */
    dataDir: "SYNC_DATA_DIR",
    /** Wrong-code lockout, from the driver config (config/otpLockout.ts). */
    maxWrongCodes: "SYNC_OTP_MAX_WRONG_CODES",
    wrongCodeWindowMinutes: "SYNC_OTP_WRONG_CODE_WINDOW_MINUTES",
    lockoutMinutes: "SYNC_OTP_LOCKOUT_MINUTES",
    /** Largest payload (plaintext bytes) one item may carry. */
    maxItemBytes: "SYNC_MAX_ITEM_BYTES",
    /** Longest life of one change-feed session before the peer must present a fresh code. */
    sessionMaxSeconds: "SYNC_SESSION_MAX_SECONDS",
} as const;

/**
 * The variable that used to carry the seed itself. Secret scanners flag secrets in the
 * environment; the service refuses to start when it is set, and the otp-gated-sync rules flag it.
 */
export const LEGACY_SEED_ENV = "SYNC_OTP_SEED";

/** Key of the seed inside the gate's Kubernetes Secret / Secrets Manager JSON. */
export const OTP_SEED_KEY = "seed";

/** Key of the sync payload key material inside the gate's Kubernetes Secret / Secrets Manager JSON. */
export const PAYLOAD_KEY_KEY = "payload-key";

/**
 * The Docker nodes a compose file runs on, as the value of TAG.dockerNodes: the tier-0 single
 * host ("host:1xm5.2xlarge") or the swarm's managers and workers at their minimum count
 * ("manager:3xt3.medium worker:2xt3.large"), so the host-fit rules can size the file against
 * the instance types without reading the stack config.
 */
export type DockerNodeRole = "host" | "manager" | "worker";

export interface DockerNodeGroup {
    role: DockerNodeRole;
    count: number;
    instanceType: string;
}

export function formatDockerNodes(groups: DockerNodeGroup[]): string {
    return groups.map((g) => `${g.role}:${g.count}x${g.instanceType}`).join(" ");
}

/** The groups of a TAG.dockerNodes value, or undefined when it is not in that form. */
export function parseDockerNodes(value: unknown): DockerNodeGroup[] | undefined {
    if (typeof value !== "string" || value.trim() === "") return undefined;
    const groups: DockerNodeGroup[] = [];
    for (const part of value.trim().split(/\s+/)) {
        const match = /^(host|manager|worker):(\d+)x([a-z0-9][a-z0-9.-]*)$/.exec(part);
        if (!match) return undefined;
        groups.push({ role: match[1] as DockerNodeRole, count: Number(match[2]), instanceType: match[3] });
    }
    return groups;
}
