/**
 * Load balancer routes of the compose tiers (0-1), from the catalog's published services:
 * the frontend is the default route, an `*-api` service answers `/api/*`, any other published
 * service `/<name>/*`.
 */
import { ServiceCatalog } from "../../contract/catalog";
import { LoadBalancedRoute } from "../shared/tlsLoadBalancer";
import { publishedPorts } from "./composeFile";

export function routesFromCatalog(catalog: ServiceCatalog): LoadBalancedRoute[] {
    const published = publishedPorts(catalog);
    if (published.length === 0) {
        throw new Error(`catalog "${catalog.name}" publishes no service (group "application"); the load balancer needs one`);
    }
    const defaultService = published.find((p) => p.service === "frontend")?.service ?? published[0].service;
    const seen = new Set<string>();
    return published
        .filter((p) => !seen.has(p.service) && seen.add(p.service))
        .map((p) => {
            const service = catalog.services.find((s) => s.name === p.service)!;
            const isDefault = p.service === defaultService;
            const pathPatterns = isDefault ? undefined : p.service.endsWith("-api") ? ["/api/*"] : [`/${p.service}/*`];
            return { name: p.service, port: p.port, healthPath: service.healthPath ?? "/", ...(pathPatterns ? { pathPatterns } : {}) };
        });
}
