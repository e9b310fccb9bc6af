/**
 * IngressTls (tier 2+ on AWS): the ingress controller the Ingresses name and the issuer of their
 * certificates, declared with the cluster instead of assumed.
 *  - ingress-nginx behind an NLB in TCP mode (TLS ends in nginx, or in the sync service through
 *    TLS passthrough), TLS 1.2 minimum (`ssl-protocols: TLSv1.2 TLSv1.3`), HSTS;
 *  - cert-manager with an ACME ClusterIssuer (Let's Encrypt) that proves the names through
 *    DNS-01 in the stack's Route 53 zone; its service account gets a role through EKS Pod
 *    Identity that may change records in that zone only.
 * Pinned chart versions; the charts come from their public repositories at deploy time.
 */
import * as aws from "../shared/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LABEL } from "../../contract/markers";

export const INGRESS_NGINX = {
    chart: "ingress-nginx",
    version: "4.12.1",
    repo: "https://kubernetes.github.io/ingress-nginx",
    namespace: "ingress-nginx",
    className: "nginx",
    /** TLS 1.2 is the floor everywhere; the cross-region path is TLS 1.3 (passthrough to the sync service). */
    sslProtocols: "TLSv1.2 TLSv1.3",
} as const;

export const CERT_MANAGER = {
    chart: "cert-manager",
    version: "v1.21.2",
    repo: "https://charts.jetstack.io",
    namespace: "cert-manager",
    serviceAccount: "cert-manager",
    issuerName: "letsencrypt-dns01",
    acmeServer: "https://acme-v02.api.letsencrypt.org/directory",
} as const;

export interface IngressTlsArgs {
    /** The cluster's Kubernetes provider. */
    kubernetesProvider: k8s.Provider;
    clusterName: pulumi.Input<string>;
    /** Region of the cluster and of the zone's DNS-01 API calls. */
    region: string;
    /** Route 53 zone the ACME DNS-01 challenges are written to. */
    zoneId: pulumi.Input<string>;
    tags: Record<string, pulumi.Input<string>>;
    /** Requests and limits of the controller and cert-manager containers. */
    resources?: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
    /** The TLS Secrets of the Ingresses, issued by the ClusterIssuer: names, namespace, labels, and the names they cover. */
    certificates: { secretName: string; namespace: pulumi.Input<string>; dnsNames: string[]; labels?: Record<string, string> }[];
}

const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

export class IngressTls extends pulumi.ComponentResource {
    /** The ClusterIssuer Certificates name, and what they must wait for (cert-manager's CRDs). */
    readonly issuer: { kind: "ClusterIssuer"; name: string; ready: pulumi.Resource[] };
    readonly ingressClassName: string = INGRESS_NGINX.className;

    constructor(name: string, args: IngressTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier2:IngressTls", name, {}, opts);
        const inCluster = { parent: this, provider: args.kubernetesProvider };
        const resources = args.resources ?? DEFAULT_RESOURCES;

        new k8s.helm.v3.Release(
            `${name}-ingress-nginx`,
            {
                chart: INGRESS_NGINX.chart,
                version: INGRESS_NGINX.version,
                repositoryOpts: { repo: INGRESS_NGINX.repo },
                namespace: INGRESS_NGINX.namespace,
                createNamespace: true,
                values: {
                    controller: {
                        ingressClassResource: { name: INGRESS_NGINX.className, default: false },
                        extraArgs: { "enable-ssl-passthrough": "true" },
                        config: { "ssl-protocols": INGRESS_NGINX.sslProtocols, hsts: "true", "ssl-redirect": "true" },
                        resources,
                        service: {
                            annotations: {
                                "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
                                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
                                "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
                            },
                        },
                    },
                },
            },
            inCluster,
        );

        const role = new aws.iam.Role(
            `${name}-cert-manager`,
            {
                description: `cert-manager of ${args.region}: ACME DNS-01 records in the platform zone`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
                }),
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-cert-manager-dns01`,
            {
                role: role.id,
                policy: pulumi.output(args.zoneId).apply((zoneId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], Resource: `arn:aws:route53:::hostedzone/${zoneId}` },
                            { Effect: "Allow", Action: ["route53:GetChange"], Resource: "arn:aws:route53:::change/*" },
                            { Effect: "Allow", Action: ["route53:ListHostedZonesByName"], Resource: "*" },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        const agent = new aws.eks.Addon(`${name}-pod-identity-agent`, { clusterName: args.clusterName, addonName: "eks-pod-identity-agent", tags: args.tags }, { parent: this });
        new aws.eks.PodIdentityAssociation(
            `${name}-cert-manager`,
            { clusterName: args.clusterName, namespace: CERT_MANAGER.namespace, serviceAccount: CERT_MANAGER.serviceAccount, roleArn: role.arn, tags: args.tags },
            { parent: this, dependsOn: [agent] },
        );
        const certManager = new k8s.helm.v3.Release(
            `${name}-cert-manager`,
            {
                chart: CERT_MANAGER.chart,
                version: CERT_MANAGER.version,
                repositoryOpts: { repo: CERT_MANAGER.repo },
                namespace: CERT_MANAGER.namespace,
                createNamespace: true,
                values: {
                    crds: { enabled: true },
                    serviceAccount: { name: CERT_MANAGER.serviceAccount },
                    resources,
                    webhook: { resources },
                    cainjector: { resources },
                },
            },
            inCluster,
        );
        const issuer = new k8s.apiextensions.CustomResource(
            `${name}-issuer`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: CERT_MANAGER.issuerName },
                spec: {
                    acme: {
                        server: CERT_MANAGER.acmeServer,
                        privateKeySecretRef: { name: `${CERT_MANAGER.issuerName}-account-key` },
                        solvers: [{ dns01: { route53: { region: args.region, hostedZoneID: args.zoneId } } }],
                    },
                },
            },
            { ...inCluster, dependsOn: [certManager] },
        );
        for (const certificate of args.certificates) {
            new k8s.apiextensions.CustomResource(
                `${name}-${certificate.secretName}`,
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: { name: certificate.secretName, namespace: certificate.namespace, labels: { [LABEL.region]: args.region, ...(certificate.labels ?? {}) } },
                    spec: {
                        secretName: certificate.secretName,
                        dnsNames: certificate.dnsNames,
                        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: CERT_MANAGER.issuerName },
                        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                    },
                },
                { ...inCluster, dependsOn: [issuer] },
            );
        }
        this.issuer = { kind: "ClusterIssuer", name: CERT_MANAGER.issuerName, ready: [certManager] };
        this.registerOutputs({ issuer: CERT_MANAGER.issuerName, ingressClassName: this.ingressClassName });
    }
}
