/**
 * Kubernetes resource quantities ("500m", "2", "1Gi") as plain numbers (cores for CPU, bytes for
 * memory and storage), for the cost model and the resource-limits policies alike.
 */

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * A Kubernetes quantity ("500m", "2", "1.5", "1Gi", "512Mi", "1G", "1e3") as a plain number
 * (cores for CPU, bytes for memory). Throws on anything else, naming the value.
 */
export function parseQuantity(value: string | number): number {
    if (typeof value === "number") {
        if (!Number.isFinite(value)) {
            throw new Error(`invalid Kubernetes quantity ${value}`);
        }
        return value;
    }
    const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(String(value).trim());
    if (!match) {
        throw new Error(`invalid Kubernetes quantity "${value}": use e.g. "500m" or "2" for CPU, "512Mi" or "1Gi" for memory`);
    }
    const base = Number(match[1]);
    if (match[2]) {
        return base * 10 ** Number(match[2].slice(1));
    }
    const suffix = match[3] ?? "";
    return base * (BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix]);
}

/** Like `parseQuantity`, but `undefined` instead of an exception for a value that is not a quantity. */
export function tryParseQuantity(value: unknown): number | undefined {
    if (typeof value !== "string" && typeof value !== "number") {
        return undefined;
    }
    try {
        return parseQuantity(value);
    } catch {
        return undefined;
    }
}
