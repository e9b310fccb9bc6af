import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../../../../shared/props";

const RELEASE_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);
const OLD_PROTOCOLS = /\b(SSLv2|SSLv3|TLSv1|TLSv1\.1)\b(?!\.)/;

/**
 * The ingress-nginx controller the stack installs sets its TLS protocols itself, TLS 1.2 and 1.3
 * only, instead of trusting a chart default that a chart upgrade may change.
 */
export const ingressControllerTls12OrNewer: ResourceValidationPolicy = {
    name: "ingress-controller-tls-1-2-or-newer",
    description:
        "An ingress-nginx Helm release (helm.sh/v3 Release or v4 Chart of the chart ingress-nginx) sets values.controller.config.ssl-protocols, and it lists no protocol older than TLSv1.2.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption in transit", "ingress"],
    validateResource: (args, reportViolation) => {
        if (!RELEASE_TYPES.has(args.type) || read(args.props, "chart") !== "ingress-nginx") return;
        const protocols = read(args.props, "values", "controller", "config", "ssl-protocols");
        if (typeof protocols !== "string" || protocols.trim() === "") {
            reportViolation('The ingress-nginx release leaves ssl-protocols to the chart: set values.controller.config["ssl-protocols"] to "TLSv1.2 TLSv1.3".');
        } else if (OLD_PROTOCOLS.test(protocols.replace(/TLSv1\.[23]/g, ""))) {
            reportViolation(`The ingress-nginx release allows ${JSON.stringify(protocols)}: set values.controller.config["ssl-protocols"] to "TLSv1.2 TLSv1.3".`);
        }
    },
};
