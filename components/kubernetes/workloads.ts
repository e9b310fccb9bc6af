/**
 * KubernetesWorkloads: the catalog's services on any Kubernetes cluster. The provider decides
 * where they go (EKS, an existing cluster from a kubeconfig, or a provider with
 * `renderYamlToDirectory` for air-gapped clusters); the objects are the same everywhere.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceCatalog, Tier } from "../../contract/catalog";
import { hpaSpec, pdbSpec } from "./autoscaling";
import { deploymentSpec, serviceSpec } from "./deployment";
import { ingressSpec, IngressRoute, PLATFORM_TLS_SECRET, TLS_ONLY_ANNOTATIONS } from "./ingress";
import { labelValue, objectLabels, WorkloadContext, WORKLOADS_COMPONENT } from "./labels";
import { limitRangeSpec, NO_RESERVE, QuotaReserve, resourceQuotaSpec } from "./namespace";
import { networkPolicySpecs } from "./networkPolicies";
import { planWorkloads, PlannedWorkload } from "./plan";
import { defaultIngressRoutes } from "./routes";
import { statefulSetSpec } from "./statefulSet";
import { declareTlsSecret } from "./tlsSecret";
import { CertificateAuthority } from "../shared/privateCa";
import { EBS_CSI_PROVISIONER, ebsStorageClassParameters, ENCRYPTED_EBS_CLASS, StorageChoice } from "./storage";

export const DEFAULT_NAMESPACE = "ai-platform";

export interface KubernetesWorkloadsArgs {
    /** The cluster: EKS, an existing cluster, or a provider rendering YAML to a directory. */
    provider: k8s.Provider;
    /** Services to run (the SutazAI catalog or the user's own). */
    catalog: ServiceCatalog;
    /** Tier whose catalog placement applies (2 or 3). */
    tier: Tier;
    /** Region this cluster serves (labels, names). */
    region: string;
    /** Namespace of every object (default "ai-platform"). */
    namespace?: string;
    /** Volumes of StatefulSets: the encrypted EBS class (AWS) or an existing encrypted class. */
    storage: StorageChoice;
    /** true when managed PostgreSQL/Redis exist next to the cluster (AWS); false runs them as StatefulSets. */
    managedServicesAvailable: boolean;
    /** true when the GPU pool keeps at least one node; false runs GPU services on the general pool's CPUs. */
    gpuNodesAvailable: boolean;
    /** CIDRs of the managed stores, opened for egress on their ports (AWS). */
    managedServiceCidrs?: pulumi.Input<string>[];
    /** Public host name of the platform (the Ingress host and TLS name). */
    host: string;
    /** More host names answering the same routes (e.g. `<region>.<domain>`). */
    extraHosts?: string[];
    /** Ingress routes; default: frontend at "/", API at "/api". */
    ingressRoutes?: IngressRoute[];
    /** IngressClass of the cluster's controller (default "nginx"). */
    ingressClassName?: string;
    /** Namespace of the ingress controller allowed in by the network policies (default "ingress-nginx"). */
    ingressControllerNamespace?: string;
    /** Secret with the TLS certificate of the hosts (default "platform-tls"). */
    tlsSecretName?: string;
    /** Per-container maxima (config `maxContainerCpu` / `maxContainerMemory`), enforced by the LimitRange. */
    containerMaxima: { cpu: string; memory: string };
    /** Room in the namespace quota for workloads declared next to these (e.g. the cross-region sync). */
    quotaReserve?: QuotaReserve;
    /**
     * Issues the Ingress certificate (all its hosts) from this private CA into the TLS Secret
     * (air-gapped and existing clusters). Absent: the Secret comes from elsewhere (cert-manager
     * on AWS).
     */
    certificateAuthority?: CertificateAuthority;
}

export class KubernetesWorkloads extends pulumi.ComponentResource {
    /** Name of the namespace, resolved once it exists (children depend on it through this). */
    readonly namespace: pulumi.Output<string>;
    /** The same name as a plain string, known during preview (declare dependents with dependsOn the namespace). */
    readonly namespaceName: string;
    /** The provider the workloads were declared with, for components that add to the same cluster. */
    readonly provider: k8s.Provider;
    /** Load balancer host name of the Ingress once the controller reports it (undefined when rendering). */
    readonly ingressHostname: pulumi.Output<string | undefined>;
    /** What each catalog service became at this tier. */
    readonly plan: PlannedWorkload[];

    constructor(name: string, args: KubernetesWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:kubernetes:KubernetesWorkloads", name, {}, opts);
        this.provider = args.provider;
        const namespaceName = args.namespace ?? DEFAULT_NAMESPACE;
        const ctx: WorkloadContext = { tier: args.tier, region: args.region, namespace: namespaceName, partOf: args.catalog.name };
        const child = { parent: this, provider: args.provider };
        const labels = (app?: string) => objectLabels(ctx, WORKLOADS_COMPONENT, app);
        this.plan = planWorkloads(args.catalog, args.tier, { managedServicesAvailable: args.managedServicesAvailable, gpuNodesAvailable: args.gpuNodesAvailable });

        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: namespaceName,
                    labels: {
                        ...labels(),
                        // Every pod here already meets the "restricted" profile; the namespace makes it a rule.
                        "pod-security.kubernetes.io/enforce": "restricted",
                    },
                },
            },
            child,
        );
        this.namespace = ns.metadata.name;
        this.namespaceName = namespaceName;
        // Namespaced objects name their namespace with the known string (an Output of the Namespace
        // would be unknown during a preview, hiding which namespace they are in from the policies)
        // and wait for the Namespace through dependsOn.
        const meta = (objectName: string, app?: string) => ({ name: objectName, namespace: namespaceName, labels: labels(app) });
        const inNamespace = { ...child, dependsOn: [ns] };

        new k8s.core.v1.ResourceQuota(`${name}-quota`, { metadata: meta("platform-quota"), spec: resourceQuotaSpec(this.plan, args.quotaReserve ?? NO_RESERVE) }, inNamespace);
        new k8s.core.v1.LimitRange(`${name}-limits`, { metadata: meta("container-limits"), spec: limitRangeSpec(args.containerMaxima) }, inNamespace);

        const storageClassName = this.declareStorage(name, args.storage, labels(), child);

        for (const workload of this.plan) {
            this.declareWorkload(name, ctx, workload, storageClassName, meta, inNamespace);
        }

        const routes = args.ingressRoutes ?? defaultIngressRoutes(args.catalog);
        for (const policy of networkPolicySpecs(ctx, {
            ingressControllerNamespace: args.ingressControllerNamespace ?? "ingress-nginx",
            publicApps: publicApps(routes),
            managedServiceCidrs: args.managedServiceCidrs ?? [],
        })) {
            new k8s.networking.v1.NetworkPolicy(`${name}-netpol-${policy.name}`, { metadata: meta(policy.name), spec: policy.spec }, inNamespace);
        }

        const tlsSecretName = args.tlsSecretName ?? PLATFORM_TLS_SECRET;
        if (args.certificateAuthority) {
            declareTlsSecret(
                `${name}-tls`,
                { secretName: tlsSecretName, namespace: namespaceName, labels: labels(), authority: args.certificateAuthority, dnsNames: [args.host, ...(args.extraHosts ?? [])] },
                inNamespace,
            );
        }
        const ingress = new k8s.networking.v1.Ingress(
            `${name}-ingress`,
            {
                metadata: { ...meta("platform"), annotations: TLS_ONLY_ANNOTATIONS },
                spec: ingressSpec({
                    host: args.host,
                    extraHosts: args.extraHosts,
                    className: args.ingressClassName ?? "nginx",
                    tlsSecretName,
                    routes,
                }),
            },
            inNamespace,
        );
        this.ingressHostname = ingress.status.apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname ?? status?.loadBalancer?.ingress?.[0]?.ip);

        this.registerOutputs({ namespace: this.namespace, ingressHostname: this.ingressHostname });
    }

    /** The StorageClass name StatefulSets claim from; declares the encrypted EBS class on AWS. */
    private declareStorage(name: string, storage: StorageChoice, labels: Record<string, string>, child: pulumi.CustomResourceOptions): string {
        if (storage.kind === "existing") {
            return storage.className;
        }
        new k8s.storage.v1.StorageClass(
            `${name}-encrypted-storage`,
            {
                metadata: { name: ENCRYPTED_EBS_CLASS, labels },
                provisioner: EBS_CSI_PROVISIONER,
                parameters: pulumi.output(storage.kmsKeyArn).apply(ebsStorageClassParameters),
                reclaimPolicy: "Retain",
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
            },
            child,
        );
        return ENCRYPTED_EBS_CLASS;
    }

    private declareWorkload(
        name: string,
        ctx: WorkloadContext,
        workload: PlannedWorkload,
        storageClassName: string,
        meta: (objectName: string, app?: string) => k8s.types.input.meta.v1.ObjectMeta,
        child: pulumi.CustomResourceOptions & { dependsOn: pulumi.Resource[] },
    ): void {
        const { service, placement, shape } = workload;
        if (shape === "managed") {
            return;
        }
        const prefix = `${name}-${labelValue(service.name)}`;
        const objectMeta = meta(service.name, service.name);
        if (shape === "statefulSet") {
            const headless = `${service.name}-headless`;
            new k8s.core.v1.Service(`${prefix}-headless`, { metadata: meta(headless, service.name), spec: serviceSpec(ctx, service, { headless: true }) }, child);
            new k8s.apps.v1.StatefulSet(`${prefix}-statefulset`, { metadata: objectMeta, spec: statefulSetSpec(ctx, service, placement, headless, storageClassName) }, child);
        } else {
            const deployment = new k8s.apps.v1.Deployment(`${prefix}-deployment`, { metadata: objectMeta, spec: deploymentSpec(ctx, service, placement, { gpu: shape === "gpu" }) }, child);
            if (service.ports.length > 0) {
                new k8s.core.v1.Service(`${prefix}-service`, { metadata: objectMeta, spec: serviceSpec(ctx, service, { headless: false }) }, child);
            }
            if (placement.autoscaling) {
                new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                    `${prefix}-hpa`,
                    { metadata: objectMeta, spec: hpaSpec(service.name, placement.autoscaling) },
                    { ...child, dependsOn: [...child.dependsOn, deployment] },
                );
            }
        }
        new k8s.policy.v1.PodDisruptionBudget(`${prefix}-pdb`, { metadata: objectMeta, spec: pdbSpec(ctx, service.name) }, child);
    }
}

/** One entry per service behind the ingress (a service can serve several paths), with its distinct ports. */
export function publicApps(routes: { service: string; port: number }[]): { app: string; ports: number[] }[] {
    const ports = new Map<string, Set<number>>();
    for (const route of routes) {
        ports.set(route.service, (ports.get(route.service) ?? new Set<number>()).add(route.port));
    }
    return [...ports].map(([app, set]) => ({ app, ports: [...set] }));
}
