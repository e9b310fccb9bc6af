/** Hybrid logical clock: monotonic local versions, causality across regions, a total order. */
import * as assert from "assert";
import { compareVersions, HybridClock, MAX_CLOCK_DRIFT_MS } from "../../sync/hlc";

describe("sync: hybrid logical clock", () => {
    it("gives strictly increasing versions even when the wall clock stands still or goes back", () => {
        let now = 1_000;
        const clock = new HybridClock("eu-west-1", () => now);
        const a = clock.tick();
        const b = clock.tick();
        now = 500; // the wall clock stepped back
        const c = clock.tick();
        assert.deepStrictEqual([a, b, c].map((v) => [v.wall, v.logical]), [[1000, 0], [1000, 1], [1000, 2]]);
        assert.ok(compareVersions(a, b) < 0 && compareVersions(b, c) < 0);
        now = 2_000;
        assert.deepStrictEqual(clock.tick(), { wall: 2000, logical: 0, region: "eu-west-1" });
    });

    it("orders a write after everything its region has seen, even from a region whose clock runs ahead", () => {
        const ahead = new HybridClock("ap-southeast-1", () => 5_000).tick();
        const behind = new HybridClock("us-west-2", () => 1_000);
        behind.observe(ahead);
        const next = behind.tick();
        assert.ok(compareVersions(next, ahead) > 0, JSON.stringify({ next, ahead }));
    });

    it("breaks ties by region, the same way everywhere", () => {
        const a = { wall: 7, logical: 3, region: "eu-west-1" };
        const b = { wall: 7, logical: 3, region: "us-west-2" };
        assert.strictEqual(compareVersions(a, b), -1);
        assert.strictEqual(compareVersions(b, a), 1);
        assert.strictEqual(compareVersions(a, { ...a }), 0);
        assert.strictEqual(compareVersions({ ...a, logical: 4 }, b), 1);
    });

    it("flags versions implausibly far in the future", () => {
        const clock = new HybridClock("r", () => 1_000_000);
        assert.strictEqual(clock.tooFarAhead({ wall: 1_000_000 + MAX_CLOCK_DRIFT_MS, logical: 0, region: "x" }), false);
        assert.strictEqual(clock.tooFarAhead({ wall: 1_000_001 + MAX_CLOCK_DRIFT_MS, logical: 0, region: "x" }), true);
    });
});
