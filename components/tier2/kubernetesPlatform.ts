/**
 * KubernetesPlatform (tier 2, AWS): an EKS cluster, the catalog's workloads on it, and the
 * managed PostgreSQL and Redis that replace the in-cluster stores at this tier.
 * Pass an explicit `aws.Provider` through `opts.provider` to place it in a given region.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceCatalog } from "../../contract/catalog";
import { Tier } from "../../contract/catalog";
import { KubernetesTierSizes } from "../../contract/nodePools";
import { KubernetesWorkloads, QuotaReserve } from "../kubernetes";
import { TAG } from "../../contract/markers";
import { ManagedRedis } from "./cache";
import { EksCluster } from "./cluster";
import { ManagedPostgres } from "./database";
import { PlatformKey, PlatformNetwork, isProduction } from "./network";

export const PLATFORM_COMPONENT = "kubernetes-platform";

/** The stack settings the platform reads (a validated stack config has them all). */
export interface KubernetesPlatformSettings {
    tier: Tier;
    environment: string;
    kubernetes: { version: string };
    compute: KubernetesTierSizes;
    dns: { domain: string };
    limits: { maxContainerCpu: string; maxContainerMemory: string };
}

export interface KubernetesPlatformArgs {
    /** Tier, sizes, limits and domain of the stack. */
    config: KubernetesPlatformSettings;
    /** Services to run. */
    catalog: ServiceCatalog;
    /** VPC of the region (the shared Network's outputs). */
    network: PlatformNetwork;
    /** Customer-managed KMS key of the region (the shared EncryptionKey). */
    key: PlatformKey;
    /** Region the platform runs in (must match the provider's). */
    region: string;
    /** CIDRs allowed to reach the EKS API publicly; default none (private endpoint only). */
    publicAccessCidrs?: string[];
    /** Tags of every AWS resource (project, stack, tier, region). */
    tags?: Record<string, pulumi.Input<string>>;
    /** Extra host names of the Ingress (e.g. `<region>.<domain>` for latency routing). */
    extraHosts?: string[];
    /** Namespace quota room for workloads added next to the catalog's (e.g. the cross-region sync). */
    quotaReserve?: QuotaReserve;
}

export class KubernetesPlatform extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    /** Secret kubeconfig of the cluster. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Provider of the cluster, for components that add workloads (OTP gate, sync). */
    readonly kubernetesProvider: k8s.Provider;
    readonly workloads: KubernetesWorkloads;
    readonly databaseEndpoint: pulumi.Output<string>;
    readonly cacheEndpoint: pulumi.Output<string>;

    constructor(name: string, args: KubernetesPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier2:KubernetesPlatform", name, {}, opts);
        const { config } = args;
        const tags = { ...(args.tags ?? {}), [TAG.component]: PLATFORM_COMPONENT, [TAG.region]: args.region };
        const child = { parent: this };

        const cluster = new EksCluster(
            `${name}-eks`,
            {
                version: config.kubernetes.version,
                region: args.region,
                network: args.network,
                kmsKeyArn: args.key.arn,
                publicAccessCidrs: args.publicAccessCidrs ?? [],
                nodePools: { general: config.compute.generalNodes, gpu: config.compute.gpuNodes },
                tags,
            },
            child,
        );
        this.clusterName = cluster.clusterName;
        this.kubeconfig = cluster.kubeconfig;

        const database = new ManagedPostgres(
            `${name}-postgres`,
            {
                network: args.network,
                kmsKeyArn: args.key.arn,
                instanceClass: config.compute.databaseInstanceClass,
                allocatedStorageGb: config.compute.databaseStorageGb,
                readReplicas: config.compute.databaseReadReplicas,
                production: isProduction(config.environment),
                tags,
            },
            child,
        );
        const cache = new ManagedRedis(
            `${name}-redis`,
            { network: args.network, kmsKeyArn: args.key.arn, nodeType: config.compute.cacheNodeType, nodes: config.compute.cacheNodes, tags },
            child,
        );
        this.databaseEndpoint = database.endpoint;
        this.cacheEndpoint = cache.primaryEndpoint;

        this.kubernetesProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfig, enableServerSideApply: true, enableSecretMutable: true }, child);
        this.workloads = new KubernetesWorkloads(
            `${name}-workloads`,
            {
                provider: this.kubernetesProvider,
                catalog: args.catalog,
                tier: config.tier,
                region: args.region,
                storage: { kind: "aws-ebs", kmsKeyArn: args.key.arn },
                managedServicesAvailable: true,
                gpuNodesAvailable: config.compute.gpuNodes.minSize >= 1,
                managedServiceCidrs: [args.network.vpcCidr],
                host: config.dns.domain,
                extraHosts: args.extraHosts,
                containerMaxima: { cpu: config.limits.maxContainerCpu, memory: config.limits.maxContainerMemory },
                quotaReserve: args.quotaReserve,
            },
            child,
        );

        // Where the workloads find the managed stores; the Redis token stays a secret.
        const inCluster = { parent: this, provider: this.kubernetesProvider };
        new k8s.core.v1.ConfigMap(
            `${name}-managed-endpoints`,
            {
                metadata: { name: "managed-endpoints", namespace: this.workloads.namespace },
                data: { DATABASE_HOST: database.endpoint.apply((e) => e.split(":")[0]), REDIS_HOST: cache.primaryEndpoint, REDIS_TLS: "true" },
            },
            inCluster,
        );
        new k8s.core.v1.Secret(
            `${name}-redis-auth`,
            { metadata: { name: "redis-auth", namespace: this.workloads.namespace }, type: "Opaque", stringData: { REDIS_AUTH_TOKEN: cache.authToken } },
            { ...inCluster, additionalSecretOutputs: ["data", "stringData"] },
        );

        this.registerOutputs({
            clusterName: this.clusterName,
            kubeconfig: this.kubeconfig,
            databaseEndpoint: this.databaseEndpoint,
            cacheEndpoint: this.cacheEndpoint,
        });
    }
}
