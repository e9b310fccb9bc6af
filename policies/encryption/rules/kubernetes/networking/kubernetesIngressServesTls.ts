import { k8s } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { list, read } from "../../../../shared/props";

export const kubernetesIngressServesTls: ResourceValidationPolicy = {
    name: "kubernetes-ingress-serves-tls",
    description:
        "Every Ingress (networking.k8s.io/v1) has a non-empty spec.tls, every tls entry names a secretName, and every host in spec.rules is listed in some tls entry's hosts.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption in transit", "Kubernetes"],
    validateResource: validateResourceOfType(k8s.networking.v1.Ingress, (ingress, _args, reportViolation) => {
        const tls = list(ingress, "spec", "tls");
        if (tls.length === 0) {
            reportViolation("The Ingress serves plain HTTP: add spec.tls [{ hosts: [...], secretName: <certificate secret> }].");
            return;
        }
        if (tls.some((entry) => typeof read(entry, "secretName") !== "string")) {
            reportViolation("A spec.tls entry has no secretName: name the Secret holding the certificate.");
        }
        const covered = new Set(tls.flatMap((entry) => list(entry, "hosts")));
        for (const rule of list(ingress, "spec", "rules")) {
            const host = read(rule, "host");
            if (typeof host === "string" && !covered.has(host)) {
                reportViolation(`Host ${host} has no TLS entry: add it to spec.tls[].hosts.`);
            }
        }
    }),
};
