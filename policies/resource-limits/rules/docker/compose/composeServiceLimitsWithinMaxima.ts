import { ResourceValidationPolicy } from "@pulumi/policy";
import { isComposeFileResource, parseComposeFile } from "../../../../shared/compose";
import { parseComposeBytes, parseComposeCpus, parseQuantity } from "../../../../../contract/quantities";
import { containerMaximaSchema, DEFAULT_MAX_CONTAINER_CPU, DEFAULT_MAX_CONTAINER_MEMORY } from "../../../config";

/**
 * The compose counterpart of `kubernetes-container-limits-within-maxima`: same config keys and
 * defaults, so one stack figure bounds a container on every tier.
 */
export const composeServiceLimitsWithinMaxima: ResourceValidationPolicy = {
    name: "compose-service-limits-within-maxima",
    description:
        "In the rendered compose file, every service has deploy.resources.limits.cpus <= maxContainerCpu and deploy.resources.limits.memory <= maxContainerMemory (policy config as for Kubernetes containers, default 4 CPU / 8Gi; compose cpus are cores, compose byte units are binary: 1g = 1Gi).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["resource limits", "capacity", "docker compose", "tiers 0-1"],
    configSchema: containerMaximaSchema,
    validateResource: (args, reportViolation) => {
        if (!isComposeFileResource(args.type, args.props)) {
            return;
        }
        const config = args.getConfig<{ maxContainerCpu?: string; maxContainerMemory?: string }>();
        const maxCpuText = config.maxContainerCpu ?? DEFAULT_MAX_CONTAINER_CPU;
        const maxMemoryText = config.maxContainerMemory ?? DEFAULT_MAX_CONTAINER_MEMORY;
        const maxCpu = parseQuantity(maxCpuText);
        const maxMemory = parseQuantity(maxMemoryText);
        for (const [name, service] of Object.entries(parseComposeFile(args.props).services)) {
            const limits = service?.deploy?.resources?.limits ?? {};
            const cpus = parseComposeCpus(limits.cpus);
            const memory = parseComposeBytes(limits.memory);
            if (limits.cpus !== undefined && cpus === undefined) {
                reportViolation(`Compose service ${name} has an invalid CPU limit ${JSON.stringify(limits.cpus)}: use a number of cores such as "0.5" or "2".`);
            } else if (cpus !== undefined && cpus > maxCpu) {
                reportViolation(`Compose service ${name} has CPU limit ${limits.cpus}, above the maximum ${maxCpuText}: lower it or split the service.`);
            }
            if (limits.memory !== undefined && memory === undefined) {
                reportViolation(`Compose service ${name} has an invalid memory limit ${JSON.stringify(limits.memory)}: use a size such as "512m" or "2g".`);
            } else if (memory !== undefined && memory > maxMemory) {
                reportViolation(`Compose service ${name} has memory limit ${limits.memory}, above the maximum ${maxMemoryText}: lower it or split the service.`);
            }
        }
    },
};
