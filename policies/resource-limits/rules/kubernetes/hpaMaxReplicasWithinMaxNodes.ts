import { k8s } from "../../../shared/resourceClasses";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { read } from "../../../shared/props";
import { typeTokens } from "../../../shared/types";
import { DEFAULT_MAX_NODES, maxNodesSchema } from "../../config";

const HPA_TYPES = typeTokens(k8s.autoscaling.v1.HorizontalPodAutoscaler, k8s.autoscaling.v2.HorizontalPodAutoscaler);

export const hpaMaxReplicasWithinMaxNodes: ResourceValidationPolicy = {
    name: "hpa-max-replicas-within-max-nodes",
    description: "Every HorizontalPodAutoscaler (autoscaling/v1, autoscaling/v2) sets spec.maxReplicas <= maxNodes (policy config, default 20 from seed 002 section 7.1).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["autoscaling bounds", "cost"],
    configSchema: maxNodesSchema,
    validateResource: (args, reportViolation) => {
        if (!HPA_TYPES.has(args.type)) {
            return;
        }
        const maxNodes = args.getConfig<{ maxNodes?: number }>().maxNodes ?? DEFAULT_MAX_NODES;
        const maxReplicas = read(args.props, "spec", "maxReplicas");
        if (typeof maxReplicas !== "number") {
            reportViolation("The HPA has no numeric spec.maxReplicas: set an upper bound.");
        } else if (maxReplicas > maxNodes) {
            reportViolation(`spec.maxReplicas is ${maxReplicas}, above the stack's maxNodes ${maxNodes}: lower maxReplicas (or raise maxNodes in the stack config).`);
        }
    },
};
