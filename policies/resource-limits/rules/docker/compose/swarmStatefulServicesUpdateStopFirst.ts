import { ResourceValidationPolicy } from "@pulumi/policy";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";

/** The named volumes a service mounts (not bind mounts of host paths). */
function namedVolumes(service: any, declared: Set<string>): string[] {
    const mounts: unknown[] = Array.isArray(service?.volumes) ? service.volumes : [];
    return mounts
        .map((m) => (typeof m === "string" ? m.split(":")[0] : typeof m === "object" && m !== null && (m as any).type !== "bind" ? String((m as any).source ?? "") : ""))
        .filter((source) => declared.has(source));
}

/**
 * `order: start-first` runs the new task next to the old one; for a single-replica service with a
 * local volume both containers then open the same data directory (a database's files written by
 * two processes).
 */
export const swarmStatefulServicesUpdateStopFirst: ResourceValidationPolicy = {
    name: "swarm-stateful-services-update-stop-first",
    description:
        "In the rendered compose file, a service that mounts a named volume does not update with deploy.update_config.order \"start-first\" (stop-first keeps two containers off one data directory).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["data safety", "Docker Swarm updates", "tier 1"],
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        const compose = parseComposeFile(args.props);
        const declared = new Set(Object.keys(compose.volumes));
        for (const [name, service] of Object.entries(compose.services)) {
            const volumes = namedVolumes(service, declared);
            if (volumes.length > 0 && service?.deploy?.update_config?.order === "start-first") {
                reportViolation(`Compose service ${name} mounts volume ${volumes.join(", ")} and updates start-first, so old and new container share its data during an update: set deploy.update_config.order to "stop-first".`);
            }
        }
    },
};
