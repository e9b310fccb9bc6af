/**
 * Kubernetes resource quantities ("500m", "2", "1.5", "1Gi", "512Mi", "1G", "1e3"): one grammar
 * for the catalog, the config, the cost model and the policy packs, plain numbers out (cores for
 * CPU, bytes for memory and storage), and their docker compose spellings (`cpus: "2.0"`,
 * `memory: 2G`), so one number is read one way everywhere.
 */

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

interface Parts {
    sign: boolean;
    base: number;
    exponent?: number;
    suffix: string;
}

function partsOf(value: string): Parts | undefined {
    const match = QUANTITY.exec(value.trim());
    if (!match) return undefined;
    return {
        sign: /^[+-]/.test(match[1]),
        base: Number(match[1]),
        exponent: match[2] ? Number(match[2].slice(1)) : undefined,
        suffix: match[3] ?? "",
    };
}

function valueOf(parts: Parts): number {
    if (parts.exponent !== undefined) return parts.base * 10 ** parts.exponent;
    return parts.base * (BINARY_SUFFIXES[parts.suffix] ?? DECIMAL_SUFFIXES[parts.suffix]);
}

/**
 * A Kubernetes quantity as a plain number (cores for CPU, bytes for memory). Throws on anything
 * else, naming the value.
 */
export function parseQuantity(value: string | number): number {
    if (typeof value === "number") {
        if (!Number.isFinite(value)) {
            throw new Error(`invalid Kubernetes quantity ${value}`);
        }
        return value;
    }
    const parts = partsOf(String(value));
    if (!parts) {
        throw new Error(`invalid Kubernetes quantity "${value}": use e.g. "500m" or "2" for CPU, "512Mi" or "1Gi" for memory`);
    }
    return valueOf(parts);
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

/**
 * CPU cores of a quantity the catalog or the config may write ("500m", "2", "0.5"): unsigned,
 * whole or milli cores; undefined otherwise (a memory suffix, a sign, an exponent).
 */
export function parseCpuCores(quantity: string): number | undefined {
    const parts = partsOf(quantity);
    if (!parts || parts.sign || parts.exponent !== undefined || (parts.suffix !== "" && parts.suffix !== "m")) return undefined;
    return valueOf(parts);
}

/**
 * Bytes of a memory quantity the catalog or the config may write ("256Mi", "2Gi", "1G"):
 * unsigned, bytes or a binary/decimal size suffix; undefined otherwise.
 */
export function parseMemoryBytes(quantity: string): number | undefined {
    const parts = partsOf(quantity);
    if (!parts || parts.sign || parts.exponent !== undefined || ["n", "u", "m"].includes(parts.suffix)) return undefined;
    return valueOf(parts);
}

function required<T>(value: T | undefined, quantity: string, kind: string): T {
    if (value === undefined) {
        throw new Error(`malformed ${kind} quantity "${quantity}"`);
    }
    return value;
}

/** Compose `cpus` string with at least one decimal, as the seed writes it ("2.0", "0.25"). */
export function composeCpus(quantity: string): string {
    const cores = required(parseCpuCores(quantity), quantity, "cpu");
    return Number.isInteger(cores) ? cores.toFixed(1) : String(cores);
}

/**
 * Compose memory string. Docker reads k/m/g suffixes as binary units, so Mi/Gi map exactly to
 * M/G ("2Gi" -> "2G"); decimal units are written in bytes to stay exact.
 */
export function composeMemory(quantity: string): string {
    const bytes = required(parseMemoryBytes(quantity), quantity, "memory");
    const gib = bytes / 1024 ** 3;
    if (Number.isInteger(gib)) return `${gib}G`;
    const mib = bytes / 1024 ** 2;
    if (Number.isInteger(mib)) return `${mib}M`;
    return `${Math.round(bytes)}b`;
}

// Kubernetes quantities for sums and quotas (millicores, bytes) and back.

/** "500m" -> 500, "2" -> 2000. */
export function cpuToMillicores(quantity: string): number {
    const cores = parseCpuCores(quantity);
    if (cores === undefined) {
        throw new Error(`invalid CPU quantity "${quantity}": use cores ("2", "0.5") or millicores ("500m")`);
    }
    return Math.round(cores * 1000);
}

/** "256Mi" -> 268435456. */
export function memoryToBytes(quantity: string): number {
    const bytes = parseMemoryBytes(quantity);
    if (bytes === undefined) {
        throw new Error(`invalid memory quantity "${quantity}": use a number with Ki/Mi/Gi/Ti or k/M/G/T (e.g. "256Mi")`);
    }
    return Math.round(bytes);
}

/** 1500 -> "1500m". */
export function formatMillicores(millicores: number): string {
    return `${Math.ceil(millicores)}m`;
}

/** Bytes rounded up to whole Mi, e.g. "3072Mi". */
export function formatMebibytes(bytes: number): string {
    return `${Math.ceil(bytes / 1024 ** 2)}Mi`;
}

// Compose figures as docker reads them.

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
