import { ResourceValidationPolicy } from "@pulumi/policy";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";
import { parseComposeBytes, parseComposeCpus } from "../../../../../contract/quantities";

export const composeServiceReservationsNotAboveLimits: ResourceValidationPolicy = {
    name: "compose-service-reservations-not-above-limits",
    description:
        "In the rendered compose file, for every service that sets both, deploy.resources.reservations.cpus <= limits.cpus and reservations.memory <= limits.memory (compose byte units are binary: 1m = 1 MiB).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["resource limits", "docker compose (docker refuses such services)"],
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        for (const [name, service] of Object.entries(parseComposeFile(args.props).services)) {
            const limits = service?.deploy?.resources?.limits ?? {};
            const reservations = service?.deploy?.resources?.reservations ?? {};
            const cpuLimit = parseComposeCpus(limits.cpus);
            const cpuReserved = parseComposeCpus(reservations.cpus);
            if (cpuLimit !== undefined && cpuReserved !== undefined && cpuReserved > cpuLimit) {
                reportViolation(`Compose service ${name} reserves ${reservations.cpus} CPUs, more than its limit ${limits.cpus}: lower the reservation.`);
            }
            const memLimit = parseComposeBytes(limits.memory);
            const memReserved = parseComposeBytes(reservations.memory);
            if (memLimit !== undefined && memReserved !== undefined && memReserved > memLimit) {
                reportViolation(`Compose service ${name} reserves ${reservations.memory} memory, more than its limit ${limits.memory}: lower the reservation.`);
            }
        }
    },
};
