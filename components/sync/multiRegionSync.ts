/**
 * MultiRegionSync: the cross-region sync service (sync/) in every region, gated by an OtpGate.
 * The gate is a required argument, so an ungated sync cannot be declared; each region's pod
 * mounts the seed and the payload key from the gate's Secret in its own cluster. The service's
 * code is bundled at program run time into a ConfigMap and run by the stock Node.js image, so
 * no registry of ours is needed (air-gapped clusters set `syncImage` to their local copy).
 * Peers reach each other through the Ingress with TLS passthrough, so TLS 1.3 ends in the
 * service, with the certificate of the TLS Secret.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Tier } from "../../contract/catalog";
import { BUNDLE_FILE_NAME, syncServiceBundle } from "../../sync/bundle";
import { pdbSpecFor, selectorLabels, WorkloadContext } from "../kubernetes";
import { OtpGate } from "../shared/otpGate";
import { CertificateAuthority } from "../shared/privateCa";
import { declareTlsSecret } from "../kubernetes/tlsSecret";
import type { OtpLockoutPolicy } from "../../contract/totp";
import {
    SYNC_DEFAULT_DATA_SIZE_LIMIT,
    SYNC_DEFAULT_IMAGE,
    SYNC_DEFAULT_TLS_SECRET,
    SYNC_PORT,
    SYNC_WORKLOAD_NAME,
    syncAnnotations,
    syncBundleConfigMapName,
    syncDeploymentSpec,
    syncHost,
    syncLabels,
} from "./syncSpec";

export interface SyncRegion {
    /** Region name (also the key of the gate's Kubernetes target in that cluster). */
    region: string;
    /** Provider of the region's cluster. */
    provider: k8s.Provider;
    /** Namespace of the platform in that cluster. */
    namespace: pulumi.Input<string>;
}

export interface MultiRegionSyncArgs {
    /** Every region taking part (at least two). */
    regions: SyncRegion[];
    /** The gate whose seed every sync request is verified against; must have a Secret in each region. */
    otpGate: OtpGate;
    /** Public domain; region endpoints are `sync.<region>.<domain>`. */
    domain: string;
    tier: Tier;
    /** app.kubernetes.io/part-of value (the catalog name). */
    partOf: string;
    /** Wrong-code lockout of the service: the driver's figures (automation/driver.config.json, via config/otpLockout.ts). */
    otpLockout: OtpLockoutPolicy;
    /** Image with Node.js 22 that runs the bundled service (default SYNC_DEFAULT_IMAGE, stack config `syncImage`). */
    image?: string;
    /** Secret in each region with the sync endpoint's tls.crt, tls.key and ca.crt (default "cross-region-sync-tls"). */
    tlsSecretName?: string;
    /**
     * The CA every region's sync certificate comes from (one for all regions, so peers trust each
     * other); the component issues `sync.<region>.<domain>` into the TLS Secret of each region.
     */
    certificateAuthority: CertificateAuthority;
    /** Size limit of each region's store volume (an emptyDir; default "2Gi"). */
    dataSizeLimit?: string;
    /** IngressClass of the clusters' controller (default "nginx"). */
    ingressClassName?: string;
    /** Namespace of the ingress controller (default "ingress-nginx"). */
    ingressControllerNamespace?: string;
}

export class MultiRegionSync extends pulumi.ComponentResource {
    /** HTTPS endpoint per region. */
    readonly endpoints: Record<string, string>;

    constructor(name: string, args: MultiRegionSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier3:MultiRegionSync", name, {}, opts);
        if (!args.otpGate) {
            throw new Error(`MultiRegionSync "${name}": args.otpGate is required; cross-region sync only runs through an OtpGate`);
        }
        if (args.regions.length < 2) {
            throw new Error(`MultiRegionSync "${name}": needs at least 2 regions (got ${args.regions.length}); sync is a tier-3 feature`);
        }
        const names = args.regions.map((r) => r.region);
        for (const region of names) {
            if (!args.otpGate.kubernetesTargets.includes(region)) {
                throw new Error(
                    `MultiRegionSync "${name}": OtpGate "${args.otpGate.gateName}" has no Secret in region ${region}; ` +
                        `add { key: "${region}", provider, namespace } to the gate's args.kubernetes`,
                );
            }
        }
        this.endpoints = {};
        for (const target of args.regions) {
            this.declareRegion(name, target, names, args);
            this.endpoints[target.region] = `https://${syncHost(target.region, args.domain)}`;
        }
        this.registerOutputs({ endpoints: this.endpoints });
    }

    private declareRegion(name: string, target: SyncRegion, regions: string[], args: MultiRegionSyncArgs): void {
        const ctx: WorkloadContext = { tier: args.tier, region: target.region, namespace: "", partOf: args.partOf };
        const child = { parent: this, provider: target.provider };
        const metadata = {
            name: SYNC_WORKLOAD_NAME,
            namespace: target.namespace,
            labels: syncLabels(ctx),
            annotations: syncAnnotations(args.otpGate.gateName),
        };
        const prefix = `${name}-${target.region}`;
        const bundle = syncServiceBundle();
        const bundleMap = new k8s.core.v1.ConfigMap(
            `${prefix}-bundle`,
            {
                metadata: { name: syncBundleConfigMapName(bundle.sha256), namespace: target.namespace, labels: metadata.labels },
                immutable: true,
                data: { [BUNDLE_FILE_NAME]: bundle.code },
            },
            child,
        );
        const tlsSecretName = args.tlsSecretName ?? SYNC_DEFAULT_TLS_SECRET;
        const tlsSecret = declareTlsSecret(
            `${prefix}-tls`,
            { secretName: tlsSecretName, namespace: target.namespace, labels: metadata.labels, authority: args.certificateAuthority, dnsNames: [syncHost(target.region, args.domain)] },
            child,
        );
        new k8s.apps.v1.Deployment(
            `${prefix}-deployment`,
            {
                metadata,
                spec: syncDeploymentSpec({
                    ctx,
                    regions,
                    domain: args.domain,
                    gateName: args.otpGate.gateName,
                    gateSecretName: args.otpGate.secretName,
                    image: args.image ?? SYNC_DEFAULT_IMAGE,
                    tlsSecretName,
                    bundleConfigMap: syncBundleConfigMapName(bundle.sha256),
                    bundleSha256: bundle.sha256,
                    otpLockout: args.otpLockout,
                    dataSizeLimit: args.dataSizeLimit ?? SYNC_DEFAULT_DATA_SIZE_LIMIT,
                }),
            },
            // The gate's Secret and the bundle must exist before pods that mount them start.
            { ...child, dependsOn: [args.otpGate, bundleMap, tlsSecret] },
        );
        const selector = selectorLabels(ctx, SYNC_WORKLOAD_NAME);
        new k8s.core.v1.Service(
            `${prefix}-service`,
            { metadata, spec: { type: "ClusterIP", selector, ports: [{ name: "https", port: SYNC_PORT, targetPort: SYNC_PORT, protocol: "TCP" }] } },
            child,
        );
        new k8s.policy.v1.PodDisruptionBudget(`${prefix}-pdb`, { metadata, spec: pdbSpecFor(selector) }, child);
        new k8s.networking.v1.NetworkPolicy(
            `${prefix}-netpol`,
            {
                metadata: { ...metadata, name: `allow-${SYNC_WORKLOAD_NAME}` },
                spec: {
                    podSelector: { matchLabels: selector },
                    policyTypes: ["Ingress", "Egress"],
                    ingress: [
                        {
                            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.ingressControllerNamespace ?? "ingress-nginx" } } }],
                            ports: [{ protocol: "TCP", port: SYNC_PORT }],
                        },
                    ],
                    // Peers are reached through their public TLS endpoints.
                    egress: [{ ports: [{ protocol: "TCP", port: 443 }] }],
                },
            },
            child,
        );
        const host = syncHost(target.region, args.domain);
        new k8s.networking.v1.Ingress(
            `${prefix}-ingress`,
            {
                metadata: {
                    ...metadata,
                    annotations: {
                        ...metadata.annotations,
                        // TLS ends in the service (TLS 1.3 only, its own certificate), not in the controller.
                        "nginx.ingress.kubernetes.io/ssl-passthrough": "true",
                        "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
                    },
                },
                spec: {
                    ingressClassName: args.ingressClassName ?? "nginx",
                    tls: [{ hosts: [host], secretName: tlsSecretName }],
                    rules: [
                        {
                            host,
                            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: SYNC_WORKLOAD_NAME, port: { number: SYNC_PORT } } } }] },
                        },
                    ],
                },
            },
            child,
        );
    }
}
