import { k8s } from "../../../shared/resourceClasses";
import { StackValidationPolicy } from "@pulumi/policy";
import { objectName, objectNamespace } from "../../../shared/kubernetes";
import { read, UNKNOWN } from "../../../shared/props";
import { typeToken } from "../../../shared/types";

/**
 * A Namespace's own name is its metadata.name; objects in it name it in metadata.namespace.
 * A LimitRange or ResourceQuota whose namespace is not known (computed, or absent, which during a
 * preview looks the same) could be in any namespace: then that kind is not checked, rather than
 * reporting a namespace that may well have one.
 */
export const kubernetesNamespacesHaveLimitRangeAndQuota: StackValidationPolicy = {
    name: "kubernetes-namespaces-have-limit-range-and-quota",
    description: "Every Namespace (core/v1) the stack declares has a LimitRange and a ResourceQuota declared in the same stack with metadata.namespace equal to the Namespace's name (not checked for a kind when one of its objects has an unknown namespace).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["resource limits", "multi-tenancy"],
    validateStack: (args, reportViolation) => {
        /** Whether namespace `name` has an object of `cls`; true when one of them has an unknown namespace. */
        const hasIn = (cls: typeof k8s.core.v1.LimitRange | typeof k8s.core.v1.ResourceQuota): ((name: string) => boolean) => {
            const namespaces = args.resources.filter((r) => r.type === typeToken(cls)).map((r) => objectNamespace(r.props));
            return namespaces.includes(undefined) ? () => true : (name) => namespaces.includes(name);
        };
        const hasLimitRange = hasIn(k8s.core.v1.LimitRange);
        const hasQuota = hasIn(k8s.core.v1.ResourceQuota);
        for (const ns of args.resources.filter((r) => r.type === typeToken(k8s.core.v1.Namespace))) {
            if (read(ns.props, "metadata", "name") === UNKNOWN) {
                continue; // its name is computed: nothing to compare with
            }
            const name = objectName(ns.props, ns.name);
            const missing = [hasLimitRange(name) ? undefined : "LimitRange", hasQuota(name) ? undefined : "ResourceQuota"].filter(Boolean);
            if (missing.length > 0) {
                reportViolation(`Namespace ${name} has no ${missing.join(" and no ")}: declare them with metadata.namespace "${name}" (default container limits and a namespace quota).`, ns.urn);
            }
        }
    },
};
