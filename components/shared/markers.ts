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
