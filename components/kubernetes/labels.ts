/**
 * Labels every Kubernetes object of the platform carries (keys from markers.ts), so policies
 * and the cost model can tell the tier, region and component from the manifest alone.
 */
import { Tier } from "../../contract/catalog";
import { LABEL } from "../../contract/markers";

/** Where a set of workloads runs; shared by every spec builder. */
export interface WorkloadContext {
    /** Scaling tier whose catalog placement applies (2 or 3). */
    tier: Tier;
    /** Region the cluster serves, e.g. us-west-2. */
    region: string;
    /** Namespace all objects go into. */
    namespace: string;
    /** Value of app.kubernetes.io/part-of, e.g. the catalog name. */
    partOf: string;
}

/** Component label value of the catalog workloads. */
export const WORKLOADS_COMPONENT = "kubernetes-workloads";

/** Kubernetes label values: lowercase alphanumerics, '-', '_', '.'; at most 63 characters. */
export function labelValue(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, "-")
        .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "")
        .slice(0, 63);
}

/** Labels that select the pods of one service (kept small: selectors are immutable). */
export function selectorLabels(ctx: WorkloadContext, app: string): Record<string, string> {
    return { [LABEL.app]: app, [LABEL.partOf]: labelValue(ctx.partOf) };
}

/** Full label set of an object belonging to `app` (or to the namespace as a whole when app is absent). */
export function objectLabels(ctx: WorkloadContext, component: string, app?: string, role?: string): Record<string, string> {
    return {
        ...(app ? { [LABEL.app]: app } : {}),
        [LABEL.partOf]: labelValue(ctx.partOf),
        [LABEL.tier]: String(ctx.tier),
        [LABEL.region]: ctx.region,
        [LABEL.component]: component,
        ...(role ? { [LABEL.role]: role } : {}),
    };
}
