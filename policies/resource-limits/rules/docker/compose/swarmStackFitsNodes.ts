import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseDockerNodes, TAG } from "../../../../../contract/markers";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";
import { nodesOf, serviceDemands, swarmFitProblems } from "../../../../shared/dockerFit";
import { markersOf } from "../../../../shared/props";

/**
 * The swarm scheduler places tasks by their reservations and leaves a task Pending ("no
 * suitable node") when no node has room; services pinned by node labels all land on the one node
 * holding the label. Checked against the node types and minimum counts of the
 * ai-platform:docker-nodes tag (contract/instanceTypes.ts dockerHostAllocatable).
 */
export const swarmStackFitsNodes: ResourceValidationPolicy = {
    name: "swarm-stack-fits-nodes",
    description:
        "A swarm stack file (an S3 object tagged role compose-file and ai-platform:docker-nodes \"manager:<n>x<type> worker:<n>x<type>\", workers at their minimum) fits its nodes: every task's reservation has a node with room (services that require the same node labels together on one node), and no CPU limit or memory limit is above what a node it may run on has.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["resource limits", "capacity", "Docker Swarm", "tier 1"],
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        const groups = parseDockerNodes(markersOf(args.props)[TAG.dockerNodes]);
        if (!groups || !groups.some((g) => g.role === "manager" || g.role === "worker")) {
            return; // not a swarm stack file (compose-fits-host reports a missing tag)
        }
        const { nodes, problems: unknown } = nodesOf(groups);
        unknown.forEach((p) => reportViolation(`The stack file's nodes cannot be sized: ${p}.`));
        if (unknown.length > 0) return;
        const problems = swarmFitProblems(serviceDemands(parseComposeFile(args.props)), nodes);
        if (problems.length > 0) {
            reportViolation(`The stack file does not fit its swarm (${markersOf(args.props)[TAG.dockerNodes]}): ${problems.join("; ")}.`);
        }
    },
};
