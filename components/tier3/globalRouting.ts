/**
 * GlobalRouting: Route 53 latency routing across the regions with HTTPS health checks (an
 * unhealthy region drops out of the answers) and a primary/secondary failover name (seed 002
 * sections 3.4 and 6.2: automatic DNS failover to a secondary region).
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { syncHost } from "../sync/syncSpec";
import { FAILOVER_RECORD, LATENCY_RECORD, regionHost } from "../shared/routedHosts";


/**
 * Seed 002 section 6.2: "3 consecutive health check failures"; database failover detection
 * within 30 seconds, so the checker probes every 30 s (Route 53's standard interval).
 */
export const HEALTH_CHECK = { failureThreshold: 3, requestIntervalSeconds: 30, port: 443 } as const;
/** Seed 002 section 6.2: DNS update within 30 seconds. */
export const RECORD_TTL_SECONDS = 30;
export interface RoutedRegion {
    region: string;
    /** Load balancer host name of the region's Ingress. */
    loadBalancerHostname: pulumi.Input<string>;
    primary: boolean;
}

export interface GlobalRoutingArgs {
    domain: string;
    zoneId: pulumi.Input<string>;
    regions: RoutedRegion[];
    /** Path the health checks request over HTTPS (the API's health path). */
    healthCheckPath: string;
    tags: Record<string, pulumi.Input<string>>;
}

export class GlobalRouting extends pulumi.ComponentResource {
    /** Names users and clients resolve. */
    readonly latencyName: string;
    readonly failoverName: string;

    constructor(name: string, args: GlobalRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier3:GlobalRouting", name, {}, opts);
        const primaries = args.regions.filter((r) => r.primary);
        if (primaries.length !== 1 || args.regions.length < 2) {
            throw new Error(`GlobalRouting "${name}": needs exactly one primary and at least one secondary region (got ${primaries.length} primary of ${args.regions.length})`);
        }
        const secondary = args.regions.find((r) => !r.primary)!;
        this.latencyName = `${LATENCY_RECORD}.${args.domain}`;
        this.failoverName = `${FAILOVER_RECORD}.${args.domain}`;
        const child = { parent: this };

        for (const target of args.regions) {
            const host = regionHost(target.region, args.domain);
            const prefix = `${name}-${target.region}`;
            new aws.route53.Record(
                `${prefix}-origin`,
                { zoneId: args.zoneId, name: host, type: "CNAME", ttl: RECORD_TTL_SECONDS, records: [target.loadBalancerHostname] },
                child,
            );
            // The region's sync endpoint: the same load balancer, TLS passed through to the sync service.
            new aws.route53.Record(
                `${prefix}-sync`,
                { zoneId: args.zoneId, name: syncHost(target.region, args.domain), type: "CNAME", ttl: RECORD_TTL_SECONDS, records: [target.loadBalancerHostname] },
                child,
            );
            const check = new aws.route53.HealthCheck(
                `${prefix}-health`,
                {
                    type: "HTTPS",
                    fqdn: host,
                    port: HEALTH_CHECK.port,
                    resourcePath: args.healthCheckPath,
                    enableSni: true,
                    failureThreshold: HEALTH_CHECK.failureThreshold,
                    requestInterval: HEALTH_CHECK.requestIntervalSeconds,
                    tags: { ...args.tags, Name: `${host}${args.healthCheckPath}` },
                },
                child,
            );
            new aws.route53.Record(
                `${prefix}-latency`,
                {
                    zoneId: args.zoneId,
                    name: this.latencyName,
                    type: "CNAME",
                    ttl: RECORD_TTL_SECONDS,
                    records: [host],
                    setIdentifier: `latency-${target.region}`,
                    latencyRoutingPolicies: [{ region: target.region }],
                    healthCheckId: check.id,
                },
                child,
            );
            if (target.primary || target === secondary) {
                new aws.route53.Record(
                    `${prefix}-failover`,
                    {
                        zoneId: args.zoneId,
                        name: this.failoverName,
                        type: "CNAME",
                        ttl: RECORD_TTL_SECONDS,
                        records: [host],
                        setIdentifier: `failover-${target.primary ? "primary" : "secondary"}`,
                        failoverRoutingPolicies: [{ type: target.primary ? "PRIMARY" : "SECONDARY" }],
                        healthCheckId: check.id,
                    },
                    child,
                );
            }
        }
        this.registerOutputs({ latencyName: this.latencyName, failoverName: this.failoverName });
    }
}
