/**
 * Parsing of Kubernetes resource quantities and docker compose figures into numbers, so that
 * limits can be compared with each other and with the configured maxima.
 */
export { parseQuantity, tryParseQuantity } from "../../infra/cost/quantities";

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
