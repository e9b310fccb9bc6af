/**
 * The cross-region sync workload as data (seed 000 "OTP-validated sync", seed 002 section 3.4):
 * one pod per region running the service of sync/ in the stock Node.js image, the service's
 * bundle mounted from a ConfigMap, the OTP gate's seed and payload key mounted as 0400 files
 * from the gate's Secret (never in the environment), the endpoint's certificate from a TLS
 * Secret, TLS 1.3 only, and the store in a size-limited emptyDir.
 *
 * Why one pod and an emptyDir: a region's store is one replica of data every region holds.
 * The emptyDir survives container crashes and restarts (a `kill -9` loses nothing
 * acknowledged); a pod that is rescheduled starts empty and catches up from its peers before it
 * reports ready, and a rolling update (maxSurge 1, maxUnavailable 0) switches traffic only once
 * the new pod has caught up. Payloads rest sealed, so the node's disk never holds plaintext.
 */
import * as k8s from "@pulumi/kubernetes";
import { objectLabels, podSecurity, selectorLabels, WorkloadContext, ROLLING_UPDATE } from "../kubernetes";
import { QuotaReserve } from "../kubernetes";
import { cpuToMillicores, formatMebibytes, formatMillicores, memoryToBytes } from "../../contract/quantities";
import { ANNOTATION, OTP_SEED_KEY, PAYLOAD_KEY_KEY, ROLE, SYNC_ENV } from "../../contract/markers";
import type { OtpLockoutPolicy } from "../../contract/totp";
import { BUNDLE_FILE_NAME } from "../../sync/bundle";

export { SYNC_DEFAULT_IMAGE } from "../../contract/syncImage";

/** Name of the sync Deployment, Service and Ingress in every region. */
export const SYNC_WORKLOAD_NAME = "cross-region-sync";
/** Component label value of the sync's objects. */
export const SYNC_COMPONENT = "multi-region-sync";
export const SYNC_PORT = 8443;
/** One pod per region: the region's store is a single replica (see the file comment). */
export const SYNC_REPLICAS = 1;
/** Seed 002 section 3.4 "Cross-Region Communication: encryption: TLS 1.3". */
export const SYNC_TLS_MIN_VERSION = "1.3";
/** TLS Secret of the sync endpoint (tls.crt, tls.key, ca.crt), issued per region by cert-manager. */
export const SYNC_DEFAULT_TLS_SECRET = "cross-region-sync-tls";
/** Size limit of the store's emptyDir. */
export const SYNC_DEFAULT_DATA_SIZE_LIMIT = "2Gi";
/**
 * Requests and limits of one sync container. Its ephemeral storage holds the store's emptyDir
 * (SYNC_DEFAULT_DATA_SIZE_LIMIT) and its logs, so the limit is the store's size plus 1Gi.
 */
export const SYNC_RESOURCES = {
    requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": "512Mi" },
    limits: { cpu: "1000m", memory: "512Mi", "ephemeral-storage": "3Gi" },
} as const;
/** Mode of the files mounted from Secrets: readable by the owner only (the pod's fsGroup adds group read). */
export const SYNC_SECRET_FILE_MODE = 0o400;

/** Where the container finds what it is given. */
export const SYNC_PATHS = {
    bundleDir: "/opt/cross-region-sync",
    gateDir: "/var/run/secrets/ai-platform/otp-gate",
    tlsDir: "/var/run/secrets/ai-platform/tls",
    dataDir: "/var/lib/cross-region-sync",
} as const;

const VOLUME = { bundle: "service", gate: "otp-gate", tls: "tls", data: "data" } as const;

/** Pod annotation carrying the bundle's hash, so a new service version rolls the pods. */
export const SYNC_BUNDLE_ANNOTATION = "ai-platform.io/sync-bundle-sha256";

const SYNC_PODS_AT_MOST = SYNC_REPLICAS + ROLLING_UPDATE.maxSurge;
const times = (n: number, figures: { cpu: string; memory: string; "ephemeral-storage": string }) => ({
    cpu: formatMillicores(n * cpuToMillicores(figures.cpu)),
    memory: formatMebibytes(n * memoryToBytes(figures.memory)),
    ephemeralStorage: formatMebibytes(n * memoryToBytes(figures["ephemeral-storage"])),
});

/** Namespace quota room for the sync pods (plus one rolling-update surge). */
export const SYNC_QUOTA_RESERVE: QuotaReserve = {
    pods: SYNC_PODS_AT_MOST,
    requests: times(SYNC_PODS_AT_MOST, SYNC_RESOURCES.requests),
    limits: times(SYNC_PODS_AT_MOST, SYNC_RESOURCES.limits),
};

/** Room in the ephemeral-storage limit for the container's logs beside the store. */
const SYNC_LOG_ROOM_BYTES = 2 ** 30;

/** Public host of a region's sync endpoint. */
export function syncHost(region: string, domain: string): string {
    return `sync.${region}.${domain}`;
}

/** Every region except `region`, with its HTTPS endpoint. */
export function syncPeers(region: string, allRegions: string[], domain: string): { region: string; url: string }[] {
    return allRegions.filter((r) => r !== region).map((r) => ({ region: r, url: `https://${syncHost(r, domain)}` }));
}

/** Name of the ConfigMap holding a bundle (its hash in the name: a new version is a new object). */
export function syncBundleConfigMapName(sha256: string): string {
    return `${SYNC_WORKLOAD_NAME}-bundle-${sha256.slice(0, 12)}`;
}

export interface SyncSpecInputs {
    ctx: WorkloadContext;
    /** Every region taking part, this one included. */
    regions: string[];
    domain: string;
    /** Name of the OtpGate (annotation) and of its Kubernetes Secret. */
    gateName: string;
    gateSecretName: string;
    image: string;
    /** Secret with the endpoint's tls.crt, tls.key and ca.crt. */
    tlsSecretName: string;
    /** ConfigMap holding the bundle, and the bundle's hash. */
    bundleConfigMap: string;
    bundleSha256: string;
    /** The driver's wrong-code lockout figures. */
    otpLockout: OtpLockoutPolicy;
    dataSizeLimit: string;
}

/** Labels of the sync's objects: the platform's plus the cross-region-sync role. */
export function syncLabels(ctx: WorkloadContext): Record<string, string> {
    return objectLabels(ctx, SYNC_COMPONENT, SYNC_WORKLOAD_NAME, ROLE.crossRegionSync);
}

export function syncAnnotations(gateName: string): Record<string, string> {
    return { [ANNOTATION.otpGate]: gateName };
}

/** The service's settings (sync/settings.ts); secrets only as file paths. */
export function syncContainerEnv(inputs: SyncSpecInputs): k8s.types.input.core.v1.EnvVar[] {
    const peers = syncPeers(inputs.ctx.region, inputs.regions, inputs.domain);
    const env: Record<string, string> = {
        [SYNC_ENV.region]: inputs.ctx.region,
        [SYNC_ENV.peers]: peers.map((p) => `${p.region}=${p.url}`).join(","),
        [SYNC_ENV.listenPort]: String(SYNC_PORT),
        [SYNC_ENV.dataDir]: SYNC_PATHS.dataDir,
        [SYNC_ENV.seedFile]: `${SYNC_PATHS.gateDir}/${OTP_SEED_KEY}`,
        [SYNC_ENV.payloadKeyFile]: `${SYNC_PATHS.gateDir}/${PAYLOAD_KEY_KEY}`,
        [SYNC_ENV.tlsMinVersion]: SYNC_TLS_MIN_VERSION,
        [SYNC_ENV.tlsCertFile]: `${SYNC_PATHS.tlsDir}/tls.crt`,
        [SYNC_ENV.tlsKeyFile]: `${SYNC_PATHS.tlsDir}/tls.key`,
        [SYNC_ENV.tlsCaFile]: `${SYNC_PATHS.tlsDir}/ca.crt`,
        [SYNC_ENV.maxWrongCodes]: String(inputs.otpLockout.maxWrongCodes),
        [SYNC_ENV.wrongCodeWindowMinutes]: String(inputs.otpLockout.wrongCodeWindowMinutes),
        [SYNC_ENV.lockoutMinutes]: String(inputs.otpLockout.lockoutMinutes),
    };
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

export function syncVolumes(inputs: SyncSpecInputs): k8s.types.input.core.v1.Volume[] {
    return [
        { name: VOLUME.bundle, configMap: { name: inputs.bundleConfigMap, defaultMode: 0o444 } },
        {
            name: VOLUME.gate,
            secret: {
                secretName: inputs.gateSecretName,
                defaultMode: SYNC_SECRET_FILE_MODE,
                items: [OTP_SEED_KEY, PAYLOAD_KEY_KEY].map((key) => ({ key, path: key, mode: SYNC_SECRET_FILE_MODE })),
            },
        },
        { name: VOLUME.tls, secret: { secretName: inputs.tlsSecretName, defaultMode: SYNC_SECRET_FILE_MODE } },
        { name: VOLUME.data, emptyDir: { sizeLimit: inputs.dataSizeLimit } },
    ];
}

export function syncVolumeMounts(): k8s.types.input.core.v1.VolumeMount[] {
    return [
        { name: VOLUME.bundle, mountPath: SYNC_PATHS.bundleDir, readOnly: true },
        { name: VOLUME.gate, mountPath: SYNC_PATHS.gateDir, readOnly: true },
        { name: VOLUME.tls, mountPath: SYNC_PATHS.tlsDir, readOnly: true },
        { name: VOLUME.data, mountPath: SYNC_PATHS.dataDir },
    ];
}

export function syncDeploymentSpec(inputs: SyncSpecInputs): k8s.types.input.apps.v1.DeploymentSpec {
    const probe = (path: string) => ({ httpGet: { path, port: SYNC_PORT, scheme: "HTTPS" } });
    if (memoryToBytes(inputs.dataSizeLimit) + SYNC_LOG_ROOM_BYTES > memoryToBytes(SYNC_RESOURCES.limits["ephemeral-storage"])) {
        throw new Error(
            `the sync's store size limit ${inputs.dataSizeLimit} does not fit its ephemeral-storage limit ${SYNC_RESOURCES.limits["ephemeral-storage"]} (1Gi is kept for logs): ` +
                `the kubelet would evict the pod before the store is full; use a smaller dataSizeLimit`,
        );
    }
    return {
        replicas: SYNC_REPLICAS,
        selector: { matchLabels: selectorLabels(inputs.ctx, SYNC_WORKLOAD_NAME) },
        strategy: { type: "RollingUpdate", rollingUpdate: { ...ROLLING_UPDATE } },
        template: {
            metadata: {
                labels: syncLabels(inputs.ctx),
                annotations: { ...syncAnnotations(inputs.gateName), [SYNC_BUNDLE_ANNOTATION]: inputs.bundleSha256 },
            },
            spec: {
                ...podSecurity(),
                containers: [
                    {
                        name: SYNC_WORKLOAD_NAME,
                        image: inputs.image,
                        command: ["node", `${SYNC_PATHS.bundleDir}/${BUNDLE_FILE_NAME}`],
                        ports: [{ name: "https", containerPort: SYNC_PORT, protocol: "TCP" }],
                        env: syncContainerEnv(inputs),
                        volumeMounts: syncVolumeMounts(),
                        resources: {
                            requests: { ...SYNC_RESOURCES.requests },
                            limits: { ...SYNC_RESOURCES.limits },
                        },
                        // Ready = caught up with every reachable peer; alive = serving.
                        readinessProbe: { ...probe("/readyz"), periodSeconds: 5 },
                        livenessProbe: { ...probe("/healthz"), initialDelaySeconds: 15, periodSeconds: 20 },
                        securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
                    },
                ],
                volumes: syncVolumes(inputs),
            },
        },
    };
}
