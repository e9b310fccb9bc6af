/**
 * KubernetesOnlyPlatform (`platform: kubernetes`, tiers 2-3): the same workloads, OTP gate and
 * multi-region sync as on AWS, on existing clusters or rendered to one YAML directory per region
 * for air-gapped clusters (seed 000: offline-first). No AWS resource is declared; stores that AWS
 * would manage run as StatefulSets.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceCatalog } from "../../contract/catalog";
import { Platform } from "../../contract/tiers";
import { KubernetesWorkloads, labelValue } from "../kubernetes";
import { LABEL } from "../../contract/markers";
import { OtpGate } from "../shared/otpGate";
import { CertificateAuthority } from "../shared/privateCa";
import type { OtpLockoutPolicy } from "../../contract/totp";
import { MultiRegionSync, SYNC_QUOTA_RESERVE } from "../sync";
import { routedHosts } from "../shared/routedHosts";
import { ClusterSettings, ClusterTarget, clusterTargets } from "./clusters";

/** The stack settings the platform reads (a validated stack config has them all). */
export interface KubernetesOnlyPlatformSettings extends ClusterSettings {
    project: string;
    stack: string;
    platform: Platform;
    kubernetes: ClusterSettings["kubernetes"] & { storageClass: string };
    compute: { gpuNodes: { minSize: number } };
    dns: { domain: string };
    limits: { maxContainerCpu: string; maxContainerMemory: string };
    sync: { image: string };
}

export interface KubernetesOnlyPlatformArgs {
    /** Platform kubernetes with `kubeconfig` or `renderDir`, tier, regions, sizes and limits. */
    config: KubernetesOnlyPlatformSettings;
    catalog: ServiceCatalog;
    /** Name of the OtpGate (its Secret is `otp-gate-<gateName>`); default `<name>-sync-gate`. */
    gateName?: string;
    /** Wrong-code lockout of the sync service (the driver's figures); required at tier 3 with several regions. */
    otpLockout?: OtpLockoutPolicy;
}

export class KubernetesOnlyPlatform extends pulumi.ComponentResource {
    /** One provider per region. */
    readonly providers: Record<string, k8s.Provider>;
    readonly workloads: Record<string, KubernetesWorkloads>;
    readonly otpGate: OtpGate;
    readonly sync?: MultiRegionSync;
    /** The private CA of the Ingress and sync certificates. */
    readonly certificateAuthority: CertificateAuthority;
    /** Where each region's manifests are written (render mode). */
    readonly renderDirectories: Record<string, string>;

    constructor(name: string, args: KubernetesOnlyPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:kubernetesOnly:KubernetesOnlyPlatform", name, {}, opts);
        const { config } = args;
        if (config.platform !== "kubernetes" || config.tier < 2) {
            throw new Error(`KubernetesOnlyPlatform needs platform kubernetes at tier 2 or 3 (got platform ${config.platform}, tier ${config.tier})`);
        }
        const targets = clusterTargets(config);
        const multiRegion = config.tier >= 3 && targets.length > 1;
        this.providers = {};
        this.workloads = {};
        this.renderDirectories = {};
        // One private CA for every region: the Ingresses of clusters without a public CA in reach,
        // and the sync's peers, which must trust each other's certificates.
        this.certificateAuthority = new CertificateAuthority(`${name}-ca`, { commonName: `${args.catalog.name} private CA (${config.project}/${config.stack})` }, { parent: this });

        for (const target of targets) {
            const provider = new k8s.Provider(`${name}-${target.region}`, providerArgs(target), { parent: this });
            this.providers[target.region] = provider;
            if (target.mode === "render") this.renderDirectories[target.region] = target.directory;
            this.workloads[target.region] = new KubernetesWorkloads(
                `${name}-${target.region}-workloads`,
                {
                    provider,
                    catalog: args.catalog,
                    tier: config.tier,
                    region: target.region,
                    storage: { kind: "existing", className: config.kubernetes.storageClass },
                    managedServicesAvailable: false,
                    gpuNodesAvailable: config.compute.gpuNodes.minSize >= 1,
                    host: config.dns.domain,
                    extraHosts: multiRegion ? routedHosts(target.region, config.dns.domain) : [],
                    containerMaxima: { cpu: config.limits.maxContainerCpu, memory: config.limits.maxContainerMemory },
                    quotaReserve: multiRegion ? SYNC_QUOTA_RESERVE : undefined,
                    certificateAuthority: this.certificateAuthority,
                },
                { parent: this },
            );
        }

        this.otpGate = new OtpGate(
            args.gateName ?? `${name}-sync-gate`,
            {
                kubernetes: targets.map((target) => ({
                    key: target.region,
                    provider: this.providers[target.region],
                    namespace: this.workloads[target.region].namespace,
                    labels: { [LABEL.partOf]: labelValue(args.catalog.name), [LABEL.region]: target.region, [LABEL.tier]: String(config.tier) },
                })),
            },
            { parent: this },
        );

        if (multiRegion) {
            if (!args.otpLockout) {
                throw new Error(`KubernetesOnlyPlatform "${name}": tier 3 runs the cross-region sync, which needs args.otpLockout (the driver's wrong-code lockout figures)`);
            }
            this.sync = new MultiRegionSync(
                `${name}-sync`,
                {
                    regions: targets.map((target) => ({
                        region: target.region,
                        provider: this.providers[target.region],
                        namespace: this.workloads[target.region].namespace,
                    })),
                    otpGate: this.otpGate,
                    certificateAuthority: this.certificateAuthority,
                    otpLockout: args.otpLockout,
                    image: config.sync.image,
                    domain: config.dns.domain,
                    tier: config.tier,
                    partOf: args.catalog.name,
                },
                { parent: this },
            );
        }
        this.registerOutputs({ otpSeed: this.otpGate.seed, renderDirectories: this.renderDirectories });
    }
}

function providerArgs(target: ClusterTarget): k8s.ProviderArgs {
    if (target.mode === "render") {
        return { renderYamlToDirectory: target.directory };
    }
    // Secrets are updated in place: a new certificate or key must not delete the Secret first
    // (a replacement cut short by a cancelled `up` would leave the Ingress without its Secret).
    return { kubeconfig: target.kubeconfig, ...(target.context ? { context: target.context } : {}), enableServerSideApply: true, enableSecretMutable: true };
}
