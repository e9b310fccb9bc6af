import { aws } from "../../../../shared/resourceClasses";
import { ReportViolation, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, list, read } from "../../../../shared/props";
import { allowsOnlyTls12OrNewer } from "../../../tlsPolicies";

function isRedirectToHttps(listener: Record<string, any>): boolean {
    const actions = list(listener, "defaultActions");
    return actions.length > 0 && actions.every((a) => read(a, "type") === "redirect" && read(a, "redirect", "protocol") === "HTTPS");
}

function checkListener(listener: Record<string, any>, reportViolation: ReportViolation): void {
    const protocol = read(listener, "protocol") ?? "HTTP";
    if (protocol === "HTTPS" || protocol === "TLS") {
        if (!isSet(listener, "certificateArn")) {
            reportViolation(`The ${protocol} listener has no certificateArn: set it to an ACM certificate ARN.`);
        }
        const policy = read(listener, "sslPolicy");
        if (!allowsOnlyTls12OrNewer(policy)) {
            reportViolation(`sslPolicy ${JSON.stringify(policy ?? "(default)")} allows TLS below 1.2: set sslPolicy to "ELBSecurityPolicy-TLS13-1-2-2021-06" (or a TLS13-1-3 policy).`);
        }
        return;
    }
    if (protocol === "HTTP" && isRedirectToHttps(listener)) {
        return;
    }
    reportViolation(`The listener accepts plaintext ${protocol}: use protocol HTTPS (ALB) or TLS (NLB) with a certificate, or make an HTTP listener only redirect to HTTPS.`);
}

export const lbListenerTls12OrNewer: ResourceValidationPolicy = {
    name: "lb-listener-tls-1-2-or-newer",
    description:
        "Every load balancer listener (aws.lb.Listener, aws.alb.Listener) uses protocol HTTPS or TLS with a certificateArn and an sslPolicy that allows only TLS 1.2+ (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-*, -FS-1-2-*); an HTTP listener passes only if every default action redirects to HTTPS.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption in transit", "ELB"],
    validateResource: [
        validateResourceOfType(aws.lb.Listener, (listener, _args, reportViolation) => checkListener(listener, reportViolation)),
        validateResourceOfType(aws.alb.Listener, (listener, _args, reportViolation) => checkListener(listener, reportViolation)),
    ],
};
