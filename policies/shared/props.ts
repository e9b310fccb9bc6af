/**
 * Safe reading of resource properties for policy rules.
 *
 * During a real `pulumi preview`, properties computed by a provider (an ARN, a key id) are
 * "unknown" and the policy SDK throws when a rule reads them. Rules that only need to know
 * whether a value is set (a KMS key reference, an auth token) use these helpers, so that an
 * unknown-but-set value counts as set instead of aborting the rule.
 */
import { LABEL, TAG } from "../../components/shared/markers";

/** Marks a value the engine does not know yet (it will be computed during the update). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Maybe<T> = T | undefined | typeof UNKNOWN;

function isUnknownValueError(error: unknown): boolean {
    return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/** Reads `obj[path[0]][path[1]]...`; `undefined` when absent, `UNKNOWN` when not known during preview. */
export function read(obj: unknown, ...path: Array<string | number>): any {
    let current: any = obj;
    for (const key of path) {
        if (current === undefined || current === null || typeof current !== "object") {
            return undefined;
        }
        try {
            current = current[key];
        } catch (error) {
            if (isUnknownValueError(error)) {
                return UNKNOWN;
            }
            throw error;
        }
    }
    return current;
}

/** True when the value at `path` is set: known and non-empty, or computed by the provider (unknown). */
export function isSet(obj: unknown, ...path: Array<string | number>): boolean {
    const value = read(obj, ...path);
    if (value === UNKNOWN) {
        return true;
    }
    return value !== undefined && value !== null && value !== "";
}

/** A list property as an array (absent or unknown -> empty). */
export function list(obj: unknown, ...path: Array<string | number>): any[] {
    const value = read(obj, ...path);
    return Array.isArray(value) ? value : [];
}

/** A boolean property that may have been given as a string ("true"), as some AWS inputs are. */
export function isTrue(obj: unknown, ...path: Array<string | number>): boolean {
    const value = read(obj, ...path);
    return value === true || value === "true";
}

/** AWS tags of a resource, or Kubernetes labels merged in, as plain strings. */
export function markersOf(props: Record<string, any>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const source of [read(props, "tags"), read(props, "metadata", "labels"), read(props, "metadata", "annotations")]) {
        if (source && source !== UNKNOWN && typeof source === "object") {
            for (const key of Object.keys(source)) {
                const value = read(source, key);
                if (typeof value === "string" || typeof value === "number") {
                    result[key] = String(value);
                }
            }
        }
    }
    return result;
}

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

/** The component a resource belongs to, from `TAG.component` / `LABEL.component`. */
export function componentOf(props: Record<string, any>): string | undefined {
    const markers = markersOf(props);
    return markers[TAG.component] ?? markers[LABEL.component];
}

/** True when a KMS key reference names an AWS managed key (`alias/aws/...`), not a customer managed one. */
export function isAwsManagedKeyReference(value: unknown): boolean {
    return typeof value === "string" && /(^|:)alias\/aws\//.test(value);
}
