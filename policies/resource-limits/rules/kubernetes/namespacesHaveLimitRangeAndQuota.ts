import * as k8s from "@pulumi/kubernetes";
import { StackValidationPolicy } from "@pulumi/policy";
import { objectName, objectNamespace } from "../../../shared/kubernetes";
import { typeToken } from "../../../shared/types";

/**
 * Severity: medium. Topics: resource limits, multi-tenancy.
 * A Namespace's own name is its metadata.name; objects in it name it in metadata.namespace.
 */
export const namespacesHaveLimitRangeAndQuota: StackValidationPolicy = {
    name: "kubernetes-namespaces-have-limit-range-and-quota",
    description: "Every Namespace (core/v1) the stack declares has a LimitRange and a ResourceQuota declared in the same stack with metadata.namespace equal to the Namespace's name.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateStack: (args, reportViolation) => {
        const namespacesOf = (cls: typeof k8s.core.v1.LimitRange | typeof k8s.core.v1.ResourceQuota): Set<string> =>
            new Set(args.resources.filter((r) => r.type === typeToken(cls)).map((r) => objectNamespace(r.props)));
        const withLimitRange = namespacesOf(k8s.core.v1.LimitRange);
        const withQuota = namespacesOf(k8s.core.v1.ResourceQuota);
        for (const ns of args.resources.filter((r) => r.type === typeToken(k8s.core.v1.Namespace))) {
            const name = objectName(ns.props, ns.name);
            const missing = [withLimitRange.has(name) ? undefined : "LimitRange", withQuota.has(name) ? undefined : "ResourceQuota"].filter(Boolean);
            if (missing.length > 0) {
                reportViolation(`Namespace ${name} has no ${missing.join(" and no ")}: declare them with metadata.namespace "${name}" (default container limits and a namespace quota).`, ns.urn);
            }
        }
    },
};
