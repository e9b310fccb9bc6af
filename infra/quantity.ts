/**
 * Kubernetes resource quantities as the catalog and the config write them, and their conversion
 * to docker compose figures (`cpus: "2.0"`, `memory: 2G`), so one number lives in one place.
 */

const CPU_PATTERN = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY_PATTERN = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

const MEMORY_FACTORS: Record<string, number> = {
    "": 1,
    k: 1e3, M: 1e6, G: 1e9, T: 1e12,
    Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
};

/** CPU cores of "500m" / "2" / "0.5"; undefined when malformed. */
export function parseCpuCores(quantity: string): number | undefined {
    const match = CPU_PATTERN.exec(quantity.trim());
    if (!match) return undefined;
    const value = Number(match[1]);
    return match[2] === "m" ? value / 1000 : value;
}

/** Bytes of "256Mi" / "2Gi" / "1G"; undefined when malformed. */
export function parseMemoryBytes(quantity: string): number | undefined {
    const match = MEMORY_PATTERN.exec(quantity.trim());
    if (!match) return undefined;
    return Number(match[1]) * MEMORY_FACTORS[match[2] ?? ""];
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
