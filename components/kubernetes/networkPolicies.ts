/**
 * Network policies of the namespace: deny everything, then allow traffic between the
 * platform's own pods, DNS, the ingress controller to the public services, and (on AWS) the
 * managed database and cache.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { labelValue, selectorLabels, WorkloadContext } from "./labels";
import { LABEL } from "../../contract/markers";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** Label Kubernetes puts on every namespace with its own name. */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Ports of the managed stores reached from the cluster on AWS (PostgreSQL, Redis). */
export const MANAGED_SERVICE_PORTS = [5432, 6379] as const;

export interface NamedPolicy {
    /** Object name (also the suffix of the Pulumi resource name). */
    name: string;
    spec: NetworkPolicySpec;
}

export interface NetworkPolicyOptions {
    /** Namespace of the ingress controller allowed to reach `publicApps`. */
    ingressControllerNamespace: string;
    /** Services reachable from the ingress controller, with their ports. */
    publicApps: { app: string; ports: number[] }[];
    /** CIDRs of managed stores outside the cluster (empty when there are none; may be outputs of the VPC). */
    managedServiceCidrs: pulumi.Input<string>[];
}

export function networkPolicySpecs(ctx: WorkloadContext, options: NetworkPolicyOptions): NamedPolicy[] {
    const policies: NamedPolicy[] = [
        { name: "default-deny-all", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        {
            name: "allow-same-namespace",
            spec: {
                podSelector: {},
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: [{ podSelector: {} }] }],
                egress: [{ to: [{ podSelector: {} }] }],
            },
        },
        {
            name: "allow-dns",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } } }],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                ],
            },
        },
    ];
    for (const { app, ports } of options.publicApps) {
        policies.push({
            name: `allow-ingress-controller-to-${app}`,
            spec: {
                podSelector: { matchLabels: selectorLabels(ctx, app) },
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: options.ingressControllerNamespace } } }],
                        ports: ports.map((port) => ({ protocol: "TCP", port })),
                    },
                ],
            },
        });
    }
    if (options.managedServiceCidrs.length > 0) {
        policies.push({
            name: "allow-managed-stores",
            spec: {
                podSelector: { matchLabels: { [LABEL.partOf]: labelValue(ctx.partOf) } },
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: options.managedServiceCidrs.map((cidr) => ({ ipBlock: { cidr } })),
                        ports: MANAGED_SERVICE_PORTS.map((port) => ({ protocol: "TCP", port })),
                    },
                ],
            },
        });
    }
    return policies;
}
