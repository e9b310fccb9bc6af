/**
 * Reading resource properties in policy rules: the project's one property reader
 * (contract/resourceProps.ts, shared with the cost model; unknown values read as `UNKNOWN`),
 * plus the markers and key references rules look for.
 */
import { LABEL, TAG } from "../../contract/markers";
import { isSet, markersOf, read } from "../../contract/resourceProps";

export { isSet, isTrue, list, markersOf, read, UNKNOWN } from "../../contract/resourceProps";

/** The `TAG.role` tag or `LABEL.role` label of a resource. */
export function roleOf(props: Record<string, any>): string | undefined {
    const markers = markersOf(props);
    return markers[TAG.role] ?? markers[LABEL.role];
}

/** The region a resource belongs to, from `TAG.region` / `LABEL.region`. */
export function regionOf(props: Record<string, any>): string | undefined {
    const markers = markersOf(props);
    return markers[TAG.region] ?? markers[LABEL.region];
}

/** The tier a resource belongs to, from `TAG.tier` / `LABEL.tier`. */
export function tierOf(props: Record<string, any>): string | undefined {
    const markers = markersOf(props);
    return markers[TAG.tier] ?? markers[LABEL.tier];
}

/** True when a KMS key reference names an AWS managed key (`alias/aws/...`), not a customer managed one. */
function isAwsManagedKeyReference(value: unknown): boolean {
    return typeof value === "string" && /(^|:)alias\/aws\//.test(value);
}

/**
 * True when the KMS key at `path` is a customer managed one: set (or computed during preview)
 * and not an `alias/aws/...` AWS managed key.
 */
export function usesCustomerManagedKey(obj: unknown, ...path: Array<string | number>): boolean {
    return isSet(obj, ...path) && !isAwsManagedKeyReference(read(obj, ...path));
}
