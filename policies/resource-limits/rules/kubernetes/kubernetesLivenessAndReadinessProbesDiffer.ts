import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, isWorkloadType } from "../../../shared/kubernetes";
import { read } from "../../../shared/props";

/** JSON text with object keys sorted at every level, so equal values give equal text. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
        return `{${Object.keys(value as object)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
}

/** The check a probe runs (its handler), without timing, as comparable text; undefined without a probe. */
function checkOf(probe: unknown): string | undefined {
    if (probe === undefined || probe === null) return undefined;
    const handler: Record<string, unknown> = {};
    for (const key of ["httpGet", "tcpSocket", "exec", "grpc"]) {
        const value = read(probe, key);
        if (value !== undefined) handler[key] = value;
    }
    return canonical(handler);
}

/** "httpGet /health on port 8000" for messages. */
function describeCheck(probe: unknown): string {
    const http = read(probe, "httpGet");
    if (http) return `httpGet ${String(read(http, "path") ?? "/")} on port ${String(read(http, "port"))}`;
    const tcp = read(probe, "tcpSocket");
    if (tcp) return `TCP connect to port ${String(read(tcp, "port"))}`;
    const exec = read(probe, "exec", "command");
    if (Array.isArray(exec)) return `command ${exec.join(" ")}`;
    const grpc = read(probe, "grpc");
    return grpc ? `gRPC health on port ${String(read(grpc, "port"))}` : "the same check";
}

/**
 * Readiness takes a pod out of traffic while it cannot serve (a slow database, a warm-up);
 * liveness restarts a process that is wedged. With the same check on both, every dependency
 * outage that makes pods unready also restarts them, all at once. Only the check counts: the same
 * endpoint with a longer failure window still restarts pods on a dependency's outage.
 */
export const kubernetesLivenessAndReadinessProbesDiffer: ResourceValidationPolicy = {
    name: "kubernetes-liveness-and-readiness-probes-differ",
    description:
        "No container or init container of a Kubernetes workload has a livenessProbe that runs the same check (httpGet path and port, tcpSocket port, exec command or grpc port) as its readinessProbe; timing differences do not count.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["availability", "cascading failures"],
    validateResource: (args, reportViolation) => {
        if (!isWorkloadType(args.type)) {
            return;
        }
        for (const { name, container } of containersOf(args.type, args.props)) {
            const liveness = read(container, "livenessProbe");
            const readiness = read(container, "readinessProbe");
            const alive = checkOf(liveness);
            if (alive !== undefined && alive === checkOf(readiness)) {
                reportViolation(
                    `Container ${name} has the same liveness and readiness check (${describeCheck(liveness)}): whatever makes it unready also restarts it. ` +
                        `Give liveness a check that only says the process is alive (another path, or a TCP connect), or drop the liveness probe.`,
                );
            }
        }
    },
};
