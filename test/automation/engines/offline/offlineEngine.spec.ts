/**
 * The offline engine on the real program (dev at tiers 0-3), in child processes. Each preview
 * forks a runner; under `npm test` the runner is the compiled JavaScript in dist/.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TIERS } from "../../../../contract/catalog";
import { EngineResult } from "../../../../automation/engines/engine";
import { OFFLINE_NOTICE, OfflineEngine } from "../../../../automation/engines/offline/offlineEngine";
import { PROVIDER_STAND_IN_PREFIX } from "../../../../automation/engines/offline/dynamicProviders";
import { REPO_ROOT } from "../fakeProject";

const RESULT_KEYS = ["caveats", "durationMs", "engine", "ok", "outputs", "planDigest", "policyViolations", "resources", "secretOutputs", "stack", "tier"];

describe("OfflineEngine on the real program", function () {
    this.timeout(300_000);
    let stateDir: string;
    let engine: OfflineEngine;
    const previews = new Map<number, { result: EngineResult; lines: string[] }>();

    before(async () => {
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-offline-test-"));
        engine = new OfflineEngine({ projectDir: REPO_ROOT, stateDir });
        for (const tier of TIERS) {
            const lines: string[] = [];
            previews.set(tier, { result: await engine.preview({ stack: "dev", tier, onOutput: (l) => lines.push(l) }), lines });
        }
    });
    after(() => fs.rmSync(stateDir, { recursive: true, force: true }));

    for (const tier of TIERS) {
        it(`previews dev at tier ${tier}: resources, no mandatory violation, the common result shape`, () => {
            const { result } = previews.get(tier)!;
            assert.strictEqual(result.ok, true, result.error);
            assert.strictEqual(result.engine, "offline");
            assert.strictEqual(result.tier, tier);
            assert.ok(result.resources.length > 0, "the program declares resources");
            assert.deepStrictEqual(Object.keys(result).filter((k) => k !== "error").sort(), RESULT_KEYS);
            const mandatory = result.policyViolations.filter((v) => v.enforcementLevel === "mandatory");
            assert.deepStrictEqual(mandatory, [], "the shipped dev config passes every mandatory rule");
            for (const r of result.resources) {
                assert.ok(r.urn.startsWith("urn:pulumi:dev::ai-platform::"), r.urn);
            }
        });
    }

    it("says it is offline and what it cannot know", () => {
        const { result, lines } = previews.get(0)!;
        assert.ok(lines.includes(OFFLINE_NOTICE));
        const caveats = result.caveats.join("\n");
        assert.match(caveats, /OFFLINE/);
        assert.match(caveats, /provider defaults/);
        assert.match(caveats, /unknowns/);
        assert.match(caveats, /[Dd]rift/);
    });

    it("gives dynamic resources (the private CA and its certificates) the provider stand-in, not a serialized closure", () => {
        const dynamic = previews.get(3)!.result.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
        assert.ok(dynamic.length >= 2, `tier 3 declares the sync CA and its certificates (found ${dynamic.length} dynamic resources)`);
        for (const r of dynamic) {
            assert.ok(String(r.props.__provider).startsWith(PROVIDER_STAND_IN_PREFIX), `${r.urn}: ${String(r.props.__provider).slice(0, 80)}`);
        }
        assert.match(previews.get(3)!.result.caveats.join("\n"), /Dynamic providers are not serialized/);
    });

    it("higher tiers declare more than tier 0", () => {
        assert.ok(previews.get(3)!.result.resources.length > previews.get(0)!.result.resources.length);
    });

    it("never returns the OTP seed in plain outputs or resources", () => {
        for (const { result } of previews.values()) {
            if ("otpSeed" in result.outputs) {
                assert.strictEqual(result.outputs.otpSeed, "[secret]");
                assert.ok(result.secretOutputs.includes("otpSeed"));
            }
        }
    });

    it("up keeps a snapshot and the seed (mode 0600) apart; outputs() masks, otpSeed() reads it; the seed survives a second up", async () => {
        const tier = 3;
        const first = await engine.up({ stack: "dev", tier });
        assert.strictEqual(first.ok, true, first.error);
        const outputs = await engine.outputs("dev");
        assert.deepStrictEqual(outputs, first.outputs);
        const seed = await engine.otpSeed("dev");
        if (first.secretOutputs.includes("otpSeed")) {
            assert.ok(seed && seed.length >= 16, "the seed is readable for OTP checks");
            const seedFile = path.join(stateDir, "dev", "otp-seed");
            assert.strictEqual(fs.statSync(seedFile).mode & 0o777, 0o600);
            const snapshotText = fs.readFileSync(path.join(stateDir, "dev", "snapshot.json"), "utf8");
            assert.ok(!snapshotText.includes(seed!), "the snapshot holds no seed");
            assert.ok(!JSON.stringify(first).includes(seed!), "the result holds no seed");
            await engine.up({ stack: "dev", tier });
            assert.strictEqual(await engine.otpSeed("dev"), seed, "like a random resource in state, the seed survives updates");
        }
    });

    it("an injected crash during up fails cleanly and keeps the previous snapshot", async () => {
        const crashing = new OfflineEngine({ projectDir: REPO_ROOT, stateDir, failUp: "after-start" });
        const before = fs.readFileSync(path.join(stateDir, "dev", "snapshot.json"), "utf8");
        const result = await crashing.up({ stack: "dev", tier: 2 });
        assert.strictEqual(result.ok, false);
        assert.match(result.error!, /injected failure PROMOTION_FAIL_UP=after-start/);
        assert.strictEqual(fs.readFileSync(path.join(stateDir, "dev", "snapshot.json"), "utf8"), before);
        // The engine still reports the last good deployment.
        assert.strictEqual((await crashing.refresh("dev")).tier, JSON.parse(before).tier);
        assert.deepStrictEqual(await crashing.outputs("dev"), JSON.parse(before).outputs);
    });

    it("a broken config override gives policy violations", async () => {
        // A cost cap far below any tier-2 platform: the cost-cap rule must fire.
        const result = await engine.preview({ stack: "dev", tier: 2, configOverrides: { monthlyCostCap: "1", policyEnforcement: "mandatory" } });
        assert.strictEqual(result.ok, true, result.error);
        const mandatory = result.policyViolations.filter((v) => v.enforcementLevel === "mandatory");
        assert.ok(mandatory.length > 0, "over-cap config is denied");
    });

    it("an invalid config key is a clear error before any child runs", async () => {
        await assert.rejects(engine.preview({ stack: "dev", tier: 0, configOverrides: { tierr: "2" } }), /tierr.*did you mean "tier"/);
    });

    it("an unknown stack names its missing file", async () => {
        await assert.rejects(engine.preview({ stack: "nosuch", tier: 0 }), /Pulumi\.nosuch\.yaml/);
    });
});
