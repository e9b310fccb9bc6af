/**
 * Hybrid logical clock (Kulkarni et al., 2014): versions that follow wall time when clocks
 * agree and still order causally when they do not. Every write a region accepts gets a version
 * greater than every version that region has seen, so a write made after reading a value wins
 * over it. Versions compare by (wall, logical, region): last write wins, and two regions'
 * concurrent writes resolve the same way everywhere.
 */
import type { Version } from "./wire";

/** Versions more than this far ahead of the local clock are refused (a peer with a broken clock would otherwise drag every region's clock forward). */
export const MAX_CLOCK_DRIFT_MS = 5 * 60_000;

/** -1, 0 or 1 as a orders before, equal to, or after b. */
export function compareVersions(a: Version, b: Version): number {
    if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
    if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
    if (a.region !== b.region) return a.region < b.region ? -1 : 1;
    return 0;
}

export class HybridClock {
    private wall = 0;
    private logical = 0;

    /**
     * @param region the tie-break of this region's versions
     * @param now wall clock in ms (injectable for tests)
     */
    constructor(
        readonly region: string,
        private readonly now: () => number = Date.now,
    ) {}

    /** A version for a local write, greater than everything seen so far. */
    tick(): Version {
        const physical = this.now();
        if (physical > this.wall) {
            this.wall = physical;
            this.logical = 0;
        } else {
            this.logical += 1;
        }
        return { wall: this.wall, logical: this.logical, region: this.region };
    }

    /** Takes in a version seen from elsewhere (a replicated write, or one recovered from disk). */
    observe(version: Version): void {
        const physical = this.now();
        const wall = Math.max(this.wall, version.wall, physical);
        if (wall === this.wall && wall === version.wall) {
            this.logical = Math.max(this.logical, version.logical) + 1;
        } else if (wall === this.wall) {
            this.logical += 1;
        } else if (wall === version.wall) {
            this.logical = version.logical + 1;
        } else {
            this.logical = 0;
        }
        this.wall = wall;
    }

    /** True when a version is implausibly far ahead of this clock's wall time. */
    tooFarAhead(version: Version): boolean {
        return version.wall > this.now() + MAX_CLOCK_DRIFT_MS;
    }
}
