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
 * Environment contract of a gated sync container: the TOTP seed comes from the gate's secret
 * through `secretKeyRef` (never a literal), and the service refuses requests without a valid code.
 */
export const SYNC_ENV = {
    seed: "SYNC_OTP_SEED",
    requireOtp: "SYNC_REQUIRE_OTP",
} as const;

/** Key of the seed inside the gate's Kubernetes Secret / Secrets Manager JSON. */
export const OTP_SEED_KEY = "seed";

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
