import { ResourceValidationPolicy } from "@pulumi/policy";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";

const FIGURES = [
    ["limits", "cpus"],
    ["limits", "memory"],
    ["reservations", "cpus"],
    ["reservations", "memory"],
] as const;

export const composeServicesHaveLimitsAndReservations: ResourceValidationPolicy = {
    name: "compose-services-have-limits-and-reservations",
    description:
        "In the rendered compose file (an S3 object tagged role compose-file, YAML in `content`), every service sets deploy.resources.limits.cpus, deploy.resources.limits.memory, deploy.resources.reservations.cpus and deploy.resources.reservations.memory.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["resource limits", "docker compose", "tiers 0-1"],
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        for (const [name, service] of Object.entries(parseComposeFile(args.props).services)) {
            const resources = service?.deploy?.resources ?? {};
            const missing = FIGURES.filter(([group, figure]) => resources[group]?.[figure] === undefined).map(([g, f]) => `${g}.${f}`);
            if (missing.length > 0) {
                reportViolation(`Compose service ${name} has no deploy.resources.${missing.join(", deploy.resources.")}: render CPU and memory limits and reservations for it.`);
            }
        }
    },
};
