import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, isWorkloadType } from "../../../shared/kubernetes";
import { read } from "../../../shared/props";
import { parseQuantity, tryParseQuantity } from "../../../../contract/quantities";
import { containerMaximaSchema, DEFAULT_MAX_CONTAINER_CPU, DEFAULT_MAX_CONTAINER_MEMORY } from "../../config";

export const kubernetesContainerLimitsWithinMaxima: ResourceValidationPolicy = {
    name: "kubernetes-container-limits-within-maxima",
    description:
        "Every container and init container of a Kubernetes workload has resources.limits.cpu <= maxContainerCpu and resources.limits.memory <= maxContainerMemory (policy config, default 4 CPU / 8Gi), with quantities parsed as Kubernetes does (500m, 2, 512Mi, 1Gi, 1G).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["resource limits", "capacity"],
    configSchema: containerMaximaSchema,
    validateResource: (args, reportViolation) => {
        if (!isWorkloadType(args.type)) {
            return;
        }
        const config = args.getConfig<{ maxContainerCpu?: string; maxContainerMemory?: string }>();
        const maxCpuText = config.maxContainerCpu ?? DEFAULT_MAX_CONTAINER_CPU;
        const maxMemoryText = config.maxContainerMemory ?? DEFAULT_MAX_CONTAINER_MEMORY;
        const maxCpu = parseQuantity(maxCpuText);
        const maxMemory = parseQuantity(maxMemoryText);
        for (const { name, container } of containersOf(args.type, args.props)) {
            const cpuText = read(container, "resources", "limits", "cpu");
            const memoryText = read(container, "resources", "limits", "memory");
            const cpu = tryParseQuantity(cpuText);
            const memory = tryParseQuantity(memoryText);
            if (cpuText !== undefined && cpu === undefined) {
                reportViolation(`Container ${name} has an invalid CPU limit ${JSON.stringify(cpuText)}: use a quantity such as "500m" or "2".`);
            } else if (cpu !== undefined && cpu > maxCpu) {
                reportViolation(`Container ${name} has CPU limit ${cpuText}, above the maximum ${maxCpuText}: lower it or split the service.`);
            }
            if (memoryText !== undefined && memory === undefined) {
                reportViolation(`Container ${name} has an invalid memory limit ${JSON.stringify(memoryText)}: use a quantity such as "512Mi" or "2Gi".`);
            } else if (memory !== undefined && memory > maxMemory) {
                reportViolation(`Container ${name} has memory limit ${memoryText}, above the maximum ${maxMemoryText}: lower it or split the service.`);
            }
        }
    },
};
