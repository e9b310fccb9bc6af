/**
 * Quantities as numbers (CPU millicores, memory bytes), so quotas can be summed from the catalog.
 * Parsing is infra/quantity.ts's; this adds the failure message and the formatting back.
 */
import { parseCpuCores, parseMemoryBytes } from "../../infra/quantity";

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
