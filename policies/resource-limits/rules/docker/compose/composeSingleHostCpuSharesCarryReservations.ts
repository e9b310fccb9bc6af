import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseDockerNodes, TAG } from "../../../../../contract/markers";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";
import { markersOf } from "../../../../shared/props";
import { parseComposeCpus } from "../../../../../contract/quantities";

/** docker's cpu.shares weight of one CPU (the kubelet gives a CPU request the same). */
const SHARES_PER_CPU = 1024;

/**
 * Compose v2 ignores deploy.resources.reservations.cpus on a single host; the CPU weight
 * (cpu_shares, cgroup cpu.shares) is what holds a reservation there under contention, once the
 * reservations fit the host (compose-fits-host).
 */
export const composeSingleHostCpuSharesCarryReservations: ResourceValidationPolicy = {
    name: "compose-single-host-cpu-shares-carry-reservations",
    description:
        "In a single-host compose file (tagged ai-platform:docker-nodes \"host:...\"), every service with deploy.resources.reservations.cpus sets cpu_shares to at least 1024 per reserved CPU (Compose v2 ignores reservations.cpus; the weight enforces it under contention).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["resource reservations", "docker compose", "tier 0"],
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        const groups = parseDockerNodes(markersOf(args.props)[TAG.dockerNodes]);
        if (!groups?.some((g) => g.role === "host")) {
            return; // swarm reservations are the scheduler's; an unmarked file is compose-fits-host's
        }
        for (const [name, service] of Object.entries(parseComposeFile(args.props).services)) {
            const reserved = parseComposeCpus(service?.deploy?.resources?.reservations?.cpus);
            if (reserved === undefined || reserved <= 0) continue;
            const needed = Math.max(2, Math.round(reserved * SHARES_PER_CPU));
            const shares = Number(service?.cpu_shares);
            if (!(shares >= needed)) {
                reportViolation(`Compose service ${name} reserves ${reserved} CPUs, which Compose v2 ignores on one host, and its cpu_shares is ${service?.cpu_shares ?? "unset"}: set cpu_shares to ${needed} (1024 per reserved CPU) so the reservation holds under contention.`);
            }
        }
    },
};
