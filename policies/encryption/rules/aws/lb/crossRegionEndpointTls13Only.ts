import { aws } from "../../../../shared/resourceClasses";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LABEL, ROLE, SYNC_ENV } from "../../../../../contract/markers";
import { kubeObjectsOf } from "../../../../shared/kubernetes";
import { list, read, roleOf } from "../../../../shared/props";
import { refersTo } from "../../../../shared/references";
import { allowsOnlyTls13 } from "../../../tlsPolicies";
import { typeToken, typeTokens } from "../../../../shared/types";

const LISTENER_TYPES = typeTokens(aws.lb.Listener, aws.alb.Listener);
const LB_TYPES = typeTokens(aws.lb.LoadBalancer, aws.alb.LoadBalancer);
const CROSS_REGION_ROLES = new Set<string>([ROLE.crossRegionSync, ROLE.crossRegionReplication]);

/** A Route 53 record that spreads traffic across regions (latency, geolocation, geoproximity or failover routing). */
function isCrossRegionRecord(record: PolicyResource): boolean {
    return ["latencyRoutingPolicies", "geolocationRoutingPolicies", "geoproximityRoutingPolicies", "failoverRoutingPolicies"].some(
        (key) => list(record.props, key).length > 0,
    );
}

/** The nginx ingress controller's annotation that hands the TLS connection to the backend untouched. */
export const SSL_PASSTHROUGH = "nginx.ingress.kubernetes.io/ssl-passthrough";

/**
 * The Kubernetes cross-region path: the sync Ingress (role cross-region-sync) must pass TLS
 * through to the sync service (the controller's own TLS floor is 1.2 for every host it serves),
 * and the sync containers it reaches must set their TLS minimum to 1.3.
 */
function kubernetesProblems(resources: readonly PolicyResource[]): { message: string; urn?: string }[] {
    const objects = kubeObjectsOf(resources);
    const problems: { message: string; urn?: string }[] = [];
    const syncWorkloads = objects.filter((o) => (o.kind === "Deployment" || o.kind === "StatefulSet") && o.labels[LABEL.role] === ROLE.crossRegionSync);
    for (const ingress of objects.filter((o) => o.kind === "Ingress" && o.labels[LABEL.role] === ROLE.crossRegionSync)) {
        const annotations = resources.find((r) => r.urn === ingress.urn)?.props?.metadata?.annotations ?? {};
        if (annotations[SSL_PASSTHROUGH] !== "true") {
            problems.push({ message: `Ingress ${ingress.name} carries the cross-region sync without ${SSL_PASSTHROUGH}: "true", so TLS ends in the ingress controller at its floor (TLS 1.2): pass TLS through to the sync service, which allows TLS 1.3 only.`, urn: ingress.urn });
        }
        const region = ingress.labels[LABEL.region];
        const backends = syncWorkloads.filter((w) => w.namespace === ingress.namespace && w.labels[LABEL.region] === region);
        if (backends.length === 0) {
            problems.push({ message: `Ingress ${ingress.name} carries the cross-region sync but no sync workload runs in its namespace and region: nothing enforces TLS 1.3 behind it.`, urn: ingress.urn });
        }
        for (const workload of backends) {
            const containers: any[] = workload.spec?.template?.spec?.containers ?? [];
            for (const container of containers) {
                const version = (container?.env ?? []).find((e: any) => e?.name === SYNC_ENV.tlsMinVersion)?.value;
                if (version !== "1.3") {
                    problems.push({ message: `${workload.kind} ${workload.name} behind the cross-region Ingress ${ingress.name}: container ${container?.name} sets ${SYNC_ENV.tlsMinVersion} to ${JSON.stringify(version ?? null)}; set "1.3".`, urn: workload.urn });
                }
            }
        }
    }
    return problems;
}

/**
 * The path that exists on each platform: AWS load balancer listeners of cross-region endpoints,
 * and on Kubernetes the sync Ingress and the sync service behind it.
 */
export const crossRegionEndpointTls13Only: StackValidationPolicy = {
    name: "cross-region-endpoint-tls-1-3-only",
    description:
        "AWS: a listener is a cross-region endpoint when it or its load balancer is tagged role cross-region-sync/cross-region-replication, or its load balancer is the alias target of a Route 53 record with latency, geolocation, geoproximity or failover routing; every such listener uses an sslPolicy allowing TLS 1.3 only (ELBSecurityPolicy-TLS13-1-3-*). Kubernetes: every Ingress labelled role cross-region-sync passes TLS through to the sync service (nginx.ingress.kubernetes.io/ssl-passthrough) and the sync containers in its namespace and region set SYNC_TLS_MIN_VERSION 1.3.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption in transit", "multi-region"],
    validateStack: (args, reportViolation) => {
        const balancers = args.resources.filter((r) => LB_TYPES.has(r.type));
        const routed = args.resources.filter((r) => r.type === typeToken(aws.route53.Record) && isCrossRegionRecord(r));
        const isCrossRegionBalancer = (lb: PolicyResource): boolean =>
            CROSS_REGION_ROLES.has(roleOf(lb.props) ?? "") ||
            routed.some((record) => list(record.props, "aliases").some((_alias, i) => refersTo(record, ["aliases", i, "name"], lb)));
        for (const listener of args.resources.filter((r) => LISTENER_TYPES.has(r.type))) {
            const lb = balancers.find((b) => refersTo(listener, "loadBalancerArn", b));
            const crossRegion = CROSS_REGION_ROLES.has(roleOf(listener.props) ?? "") || (lb !== undefined && isCrossRegionBalancer(lb));
            if (!crossRegion || read(listener.props, "protocol") === "HTTP") {
                continue; // HTTP listeners are redirect-only (lb-listener-tls-1-2-or-newer) and carry no traffic
            }
            const policy = read(listener.props, "sslPolicy");
            if (!allowsOnlyTls13(policy)) {
                reportViolation(
                    `Listener ${listener.name} serves a cross-region endpoint with sslPolicy ${JSON.stringify(policy ?? "(default)")}: set sslPolicy to "ELBSecurityPolicy-TLS13-1-3-2021-06".`,
                    listener.urn,
                );
            }
        }
        for (const problem of kubernetesProblems(args.resources)) reportViolation(problem.message, problem.urn);
    },
};
