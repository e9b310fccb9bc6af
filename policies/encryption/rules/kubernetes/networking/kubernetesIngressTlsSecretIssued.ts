import { StackValidationPolicy } from "@pulumi/policy";
import { LABEL } from "../../../../../contract/markers";
import { kubeObjectsOf } from "../../../../shared/kubernetes";

/**
 * An Ingress that names a TLS Secret nobody creates serves the controller's self-signed fallback
 * (or nothing): every TLS Secret an Ingress names must come from the stack, either as a
 * `kubernetes.io/tls` Secret it declares, or from a cert-manager Certificate it declares whose
 * dnsNames cover the Ingress's TLS hosts. Same namespace, same cluster (region label).
 */
export const kubernetesIngressTlsSecretIssued: StackValidationPolicy = {
    name: "kubernetes-ingress-tls-secret-issued",
    description:
        "Every spec.tls[].secretName of an Ingress is declared by the stack in the Ingress's namespace and region: a kubernetes.io/tls Secret, or the spec.secretName of a cert-manager.io/v1 Certificate whose spec.dnsNames cover that entry's hosts.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption in transit", "certificates"],
    validateStack: (args, reportViolation) => {
        const objects = kubeObjectsOf(args.resources);
        const where = (o: { namespace?: string; labels: Record<string, string> }) => `${o.labels[LABEL.region] ?? ""}/${o.namespace ?? ""}`;
        const secrets = new Set(objects.filter((o) => o.kind === "Secret" && args.resources.find((r) => r.urn === o.urn)?.props?.type === "kubernetes.io/tls").map((o) => `${where(o)}/${o.name}`));
        const certificates = objects.filter((o) => o.kind === "Certificate" && args.resources.find((r) => r.urn === o.urn)?.type.startsWith("kubernetes:cert-manager.io/"));
        for (const ingress of objects.filter((o) => o.kind === "Ingress")) {
            for (const entry of Array.isArray(ingress.spec?.tls) ? ingress.spec.tls : []) {
                const secretName = entry?.secretName;
                if (typeof secretName !== "string") continue; // kubernetes-ingress-serves-tls reports it
                const hosts: string[] = Array.isArray(entry.hosts) ? entry.hosts : [];
                if (secrets.has(`${where(ingress)}/${secretName}`)) continue;
                const certificate = certificates.find((c) => c.spec?.secretName === secretName && where(c) === where(ingress));
                if (!certificate) {
                    reportViolation(
                        `Ingress ${ingress.name} serves TLS from Secret ${secretName}, which nothing in the stack creates: declare the certificate (a cert-manager Certificate with secretName ${secretName}, or a kubernetes.io/tls Secret from the platform's CA) in namespace ${ingress.namespace ?? "?"}.`,
                        ingress.urn,
                    );
                    continue;
                }
                const names = new Set<string>(Array.isArray(certificate.spec?.dnsNames) ? certificate.spec.dnsNames : []);
                const missing = hosts.filter((h) => !names.has(h));
                if (missing.length > 0) {
                    reportViolation(`Certificate ${certificate.name} (Secret ${secretName}) does not cover ${missing.join(", ")} of Ingress ${ingress.name}: add them to its spec.dnsNames.`, ingress.urn);
                }
            }
        }
    },
};
