/**
 * The one way the project reads resource input properties, shared by the policy rules and the
 * cost model.
 *
 * During a real `pulumi preview`, a property computed by a provider (an id, an ARN) is either
 * absent (`undefined`) or, behind the policy SDK's proxy, throws `UnknownValueError` when read.
 * `read` turns the second case into `UNKNOWN`, so callers decide what an unknown value means for
 * them (set for "is a key configured?", not a number for pricing) instead of guessing. Any other
 * error is a bug and is rethrown.
 */

/** Marks a value the engine does not know yet (it will be computed during the update). */
export const UNKNOWN: unique symbol = Symbol("unknown");

function isUnknownValueError(error: unknown): boolean {
    return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/** Reads `obj[path[0]][path[1]]...`; `undefined` when absent, `UNKNOWN` when not known during preview. */
export function read(obj: unknown, ...path: Array<string | number>): any {
    let current: any = obj;
    for (const key of path) {
        if (current === undefined || current === null || current === UNKNOWN || typeof current !== "object") {
            return current === UNKNOWN ? UNKNOWN : undefined;
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

/** A number property, also when given as a numeric string; absent, unknown or not a number -> undefined. */
export function numberAt(obj: unknown, ...path: Array<string | number>): number | undefined {
    const value = read(obj, ...path);
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** A string property; absent, unknown or not a string -> undefined. */
export function stringAt(obj: unknown, ...path: Array<string | number>): string | undefined {
    const value = read(obj, ...path);
    return typeof value === "string" ? value : undefined;
}

/** Markers by resource props: every rule of an evaluation and the cost model ask for the same resources' markers. */
const markersByProps = new WeakMap<object, Readonly<Record<string, string>>>();

/**
 * AWS tags (as a map, or as the `[{ key, value }]` list autoscaling groups take) and Kubernetes
 * labels and annotations, merged, as plain strings. Unknown entries are left out.
 */
export function markersOf(props: unknown): Readonly<Record<string, string>> {
    if (props === null || typeof props !== "object") return readMarkers(props);
    let markers = markersByProps.get(props);
    if (!markers) {
        markers = Object.freeze(readMarkers(props));
        markersByProps.set(props, markers);
    }
    return markers;
}

function readMarkers(props: unknown): Record<string, string> {
    const result: Record<string, string> = {};
    for (const source of [read(props, "tags"), read(props, "metadata", "labels"), read(props, "metadata", "annotations")]) {
        if (Array.isArray(source)) {
            for (const entry of source) {
                const key = read(entry, "key");
                const value = read(entry, "value");
                if (typeof key === "string" && (typeof value === "string" || typeof value === "number")) {
                    result[key] = String(value);
                }
            }
        } else if (source && source !== UNKNOWN && typeof source === "object") {
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
