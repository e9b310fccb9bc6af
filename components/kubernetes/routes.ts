/** Which catalog services the Ingress publishes, and on which paths. */
import { ServiceCatalog, ServiceDefinition } from "../../contract/catalog";
import { IngressRoute } from "./ingress";

function publicServices(catalog: ServiceCatalog): { frontend?: ServiceDefinition; api?: ServiceDefinition } {
    const stateless = catalog.services.filter((s) => s.kind === "stateless" && s.ports.length > 0);
    const frontend = stateless.find((s) => s.name.includes("frontend"));
    const api = stateless.find((s) => s !== frontend && (s.name.includes("backend") || s.name.includes("api")));
    return { frontend, api };
}

/**
 * The frontend at "/", the API at "/api" and the API's health path (what the global health
 * checks probe): the first stateless service whose name contains "frontend", and the first
 * whose name contains "backend" or "api".
 */
export function defaultIngressRoutes(catalog: ServiceCatalog): IngressRoute[] {
    const { frontend, api } = publicServices(catalog);
    const routes: IngressRoute[] = [];
    if (api) {
        routes.push({ path: "/api", service: api.name, port: api.ports[0] });
        if (api.healthPath && api.healthPath !== "/") routes.push({ path: api.healthPath, service: api.name, port: api.ports[0] });
    }
    if (frontend) routes.push({ path: "/", service: frontend.name, port: frontend.ports[0] });
    return routes;
}

/** Path the public health checks probe through the Ingress: the API's health path, else "/". */
export function publicHealthPath(catalog: ServiceCatalog): string {
    return publicServices(catalog).api?.healthPath ?? "/";
}
