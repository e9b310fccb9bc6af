/**
 * Tag (AWS) and label (Kubernetes) maps built from the shared markers, so every component
 * writes the same keys that policies and the cost model read.
 */
import { LABEL, TAG } from "../../contract/markers";

/** Where a resource belongs: stack, tier, region and the component that declares it. */
export interface MarkerContext {
    project: string;
    stack: string;
    tier: number;
    /** Region (AWS region name or cluster name); absent for global resources. */
    region?: string;
    /** Component name, e.g. "single-host", "swarm", "network". */
    component: string;
}

/** AWS tags for a resource; `extra` (e.g. `{ [TAG.role]: ROLE.composeFile }`) is merged last. */
export function awsTags(context: MarkerContext, extra: Record<string, string> = {}): Record<string, string> {
    return {
        [TAG.project]: context.project,
        [TAG.stack]: context.stack,
        [TAG.tier]: String(context.tier),
        ...(context.region ? { [TAG.region]: context.region } : {}),
        [TAG.component]: context.component,
        ...extra,
    };
}

/** AWS tags plus a human-readable Name tag (what the EC2 console shows). */
export function namedAwsTags(context: MarkerContext, name: string, extra: Record<string, string> = {}): Record<string, string> {
    return { Name: name, ...awsTags(context, extra) };
}

/** Kubernetes labels: values must be DNS-label-like, which project/tier/region/component are. */
export function k8sLabels(context: MarkerContext, extra: Record<string, string> = {}): Record<string, string> {
    return {
        [LABEL.partOf]: context.project,
        [LABEL.tier]: String(context.tier),
        ...(context.region ? { [LABEL.region]: context.region } : {}),
        [LABEL.component]: context.component,
        ...extra,
    };
}

/** The same context for a child component (another component name). */
export function forComponent(context: MarkerContext, component: string): MarkerContext {
    return { ...context, component };
}
