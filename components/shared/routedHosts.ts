/**
 * The host names of the platform's routing (seed 002 sections 3.4 and 6.2): each region's own
 * name, the latency-routed name and the failover name, which every region's Ingress answers to.
 * GlobalRouting declares the records; the Kubernetes platforms serve the names.
 */

/** Name (under the domain) answered by the closest healthy region. */
export const LATENCY_RECORD = "app";
/** Name (under the domain) answered by the primary, or the first secondary when the primary is down. */
export const FAILOVER_RECORD = "failover";

/** Host name of a region's own entry point. */
export function regionHost(region: string, domain: string): string {
    return `${region}.${domain}`;
}

/** Every host a region's Ingress must answer to for the routing to work. */
export function routedHosts(region: string, domain: string): string[] {
    return [regionHost(region, domain), `${LATENCY_RECORD}.${domain}`, `${FAILOVER_RECORD}.${domain}`];
}
