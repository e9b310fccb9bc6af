/**
 * MultiRegionSync: the cross-region sync workload in every region, gated by an OtpGate. The gate
 * is a required argument, so an ungated sync cannot be declared; each region's pods read the
 * seed from the gate's Secret in their own cluster.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Tier } from "../../infra/catalog/types";
import { selectorLabels, WorkloadContext } from "../kubernetes";
import { OtpGate } from "../shared/otpGate";
import {
    SYNC_DEFAULT_IMAGE,
    SYNC_PORT,
    SYNC_WORKLOAD_NAME,
    syncAnnotations,
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
    /** Sync container image. */
    image?: string;
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
                }),
            },
            // The Secret must exist before pods that read it start.
            { ...child, dependsOn: [args.otpGate] },
        );
        const selector = selectorLabels(ctx, SYNC_WORKLOAD_NAME);
        new k8s.core.v1.Service(
            `${prefix}-service`,
            { metadata, spec: { type: "ClusterIP", selector, ports: [{ name: "https", port: SYNC_PORT, targetPort: SYNC_PORT, protocol: "TCP" }] } },
            child,
        );
        new k8s.policy.v1.PodDisruptionBudget(`${prefix}-pdb`, { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } }, child);
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
                        "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS",
                        "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                    },
                },
                spec: {
                    ingressClassName: args.ingressClassName ?? "nginx",
                    tls: [{ hosts: [host], secretName: `${SYNC_WORKLOAD_NAME}-tls` }],
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
