/** The TLS Ingress that publishes the frontend and the API. */
import * as k8s from "@pulumi/kubernetes";

export interface IngressRoute {
    /** URL path prefix, e.g. "/" or "/api". */
    path: string;
    /** Catalog service the path goes to. */
    service: string;
    port: number;
}

export interface IngressOptions {
    /** Public host name, e.g. ai.example.com. */
    host: string;
    /** Extra host names the same routes answer on (e.g. the region's own name for latency routing). */
    extraHosts?: string[];
    /** IngressClass of the controller (e.g. nginx). */
    className: string;
    /** Secret holding the TLS certificate of the hosts. */
    tlsSecretName: string;
    routes: IngressRoute[];
}

/** Secret of the platform Ingress's certificate (issued by the private CA or by cert-manager). */
export const PLATFORM_TLS_SECRET = "platform-tls";

/** Annotations that make the nginx controller refuse plain HTTP. */
export const TLS_ONLY_ANNOTATIONS: Record<string, string> = {
    "nginx.ingress.kubernetes.io/ssl-redirect": "true",
    "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
};

export function ingressSpec(options: IngressOptions): k8s.types.input.networking.v1.IngressSpec {
    if (options.routes.length === 0) {
        throw new Error("the Ingress needs at least one route: the catalog has neither a frontend nor an API service to publish");
    }
    // Longest prefix first, so "/api" wins over "/".
    const paths = [...options.routes]
        .sort((a, b) => b.path.length - a.path.length)
        .map((route) => ({
            path: route.path,
            pathType: "Prefix",
            backend: { service: { name: route.service, port: { number: route.port } } },
        }));
    const hosts = [options.host, ...(options.extraHosts ?? [])];
    return {
        ingressClassName: options.className,
        tls: [{ hosts, secretName: options.tlsSecretName }],
        rules: hosts.map((host) => ({ host, http: { paths } })),
    };
}
