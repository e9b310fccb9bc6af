import { aws } from "../../../../shared/resourceClasses";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ROLE } from "../../../../../components/shared/markers";
import { list, read, roleOf } from "../../../../shared/props";
import { refersTo } from "../../../../shared/references";
import { allowsOnlyTls13 } from "./tlsPolicies";
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

/**
 * Severity: high. Topics: encryption in transit, multi-region.
 */
export const crossRegionListenerTls13Only: StackValidationPolicy = {
    name: "cross-region-endpoint-tls-1-3-only",
    description:
        "A listener is a cross-region endpoint when it or its load balancer is tagged role cross-region-sync/cross-region-replication, or its load balancer is the alias target of a Route 53 record with latency, geolocation, geoproximity or failover routing. Every such listener uses an sslPolicy allowing TLS 1.3 only (ELBSecurityPolicy-TLS13-1-3-*).",
    enforcementLevel: "advisory",
    severity: "high",
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
    },
};
