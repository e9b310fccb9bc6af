/**
 * Parsing of Kubernetes resource quantities and docker compose figures into numbers, so that
 * limits can be compared with each other and with the configured maxima.
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

const COMPOSE_BYTE_UNITS: Record<string, number> = { b: 1, k: 2 ** 10, kb: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, g: 2 ** 30, gb: 2 ** 30 };

/**
 * A compose byte value ("512m", "2g", "1gb", "1024k", 1073741824) in bytes. Compose units are
 * binary (1m = 1024 KiB), as docker interprets them.
 */
export function parseComposeBytes(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(value.trim());
    if (!match) {
        return undefined;
    }
    const unit = match[2].toLowerCase();
    const factor = unit === "" ? 1 : COMPOSE_BYTE_UNITS[unit];
    return factor === undefined ? undefined : Number(match[1]) * factor;
}

/** Compose `cpus` ("0.5", 2) as a number of cores. */
export function parseComposeCpus(value: unknown): number | undefined {
    const cpus = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    return Number.isFinite(cpus) ? cpus : undefined;
}
