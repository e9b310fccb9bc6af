import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseDockerNodes, TAG } from "../../../../../contract/markers";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";
import { demandTotals, instanceTypesThatFit, nodesOf, serviceDemands, singleHostFitProblems } from "../../../../shared/dockerFit";
import { markersOf } from "../../../../shared/props";

/**
 * On one host Compose v2 starts every container whatever its figures, so the sums are checked
 * here, against what the host's instance type offers containers (contract/instanceTypes.ts
 * dockerHostAllocatable: the memory as sold less the kernel's share and the host's own
 * services). A compose file without the host marker cannot be checked and is reported.
 */
export const composeFitsHost: ResourceValidationPolicy = {
    name: "compose-fits-host",
    description:
        "A single-host compose file (an S3 object tagged role compose-file and ai-platform:docker-nodes \"host:1x<instance type>\") fits its host: memory limits and memory reservations each add up to no more than the host's allocatable memory, CPU reservations to no more than its allocatable CPU, and no CPU limit is above the host's vCPUs (docker refuses those).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["resource limits", "capacity", "docker compose", "tier 0"],
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        const marker = markersOf(args.props)[TAG.dockerNodes];
        const groups = parseDockerNodes(marker);
        if (!groups) {
            reportViolation(`The compose file has no valid ${TAG.dockerNodes} tag (${JSON.stringify(marker ?? null)}): tag it with the nodes it runs on, e.g. "host:1xm5.2xlarge", so its fit can be checked.`);
            return;
        }
        if (!groups.some((g) => g.role === "host")) {
            return; // a swarm stack file: swarm-stack-fits-nodes checks it
        }
        const { nodes, problems: unknown } = nodesOf(groups);
        unknown.forEach((p) => reportViolation(`The compose file's host cannot be sized: ${p}.`));
        if (nodes.length !== 1) {
            if (unknown.length === 0) reportViolation(`A single-host compose file runs on exactly one host; its ${TAG.dockerNodes} tag says ${JSON.stringify(marker)}.`);
            return;
        }
        const demands = serviceDemands(parseComposeFile(args.props));
        const problems = singleHostFitProblems(demands, nodes[0]);
        if (problems.length === 0) return;
        const candidates = instanceTypesThatFit(demandTotals(demands), Math.max(0, ...demands.map((d) => d.limits.cpus)));
        const fix = candidates.length > 0
            ? `use a host type that holds the catalog (smallest in contract/instanceTypes.ts: ${candidates.slice(0, 3).join(", ")}) or lower the catalog's tier-0 figures`
            : "no instance type in contract/instanceTypes.ts holds it: lower the catalog's tier-0 figures";
        reportViolation(`The compose file does not fit its host: ${problems.join("; ")}. Fix: ${fix}.`);
    },
};
