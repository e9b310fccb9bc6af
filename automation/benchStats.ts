/** Figures every section of `npm run bench` shares. */
import * as os from "os";

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** "2 CPU(s), load average 3.4": the figures of a section are only comparable with these beside them. */
export function machine(): string {
    return `${os.cpus().length} CPU(s), load average ${os.loadavg()[0].toFixed(1)}`;
}
