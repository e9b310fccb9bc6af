/** OTP verification of sync requests: once per code and link, the driver's lockout, peers on their own links. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { codeForCounter, totpCounter, totpFromBase32 } from "../../contract/totp";
import { OtpVerifier, peerLinkTotp } from "../../sync/otpVerifier";

const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const POLICY = { maxWrongCodes: 5, wrongCodeWindowMinutes: 15, lockoutMinutes: 15 };
const T0 = 1_800_000_000_000;

function verifier(now: { t: number }, stateFile?: string): OtpVerifier {
    return new OtpVerifier({ seed: SEED, region: "us-west-2", peers: ["eu-west-1"], policy: POLICY, stateFile, now: () => now.t });
}

const clientCode = (t: number, delta = 0) => codeForCounter(totpFromBase32(SEED), totpCounter(t) + delta);
const wrongCode = (t: number) => ["000000", "111111", "222222"].find((c) => ![-1, 0, 1].some((d) => clientCode(t, d) === c))!;

describe("sync: OTP verification", () => {
    it("accepts a client code once, and the previous and next step's codes (one step of drift)", () => {
        const now = { t: T0 };
        const v = verifier(now);
        assert.deepStrictEqual(v.verify(clientCode(T0), { kind: "client" }), { ok: true });
        assert.deepStrictEqual(v.verify(clientCode(T0), { kind: "client" }), { ok: false, reason: "replayed-code" });
        assert.deepStrictEqual(v.verify(clientCode(T0, -1), { kind: "client" }), { ok: true });
        assert.deepStrictEqual(v.verify(clientCode(T0, 1), { kind: "client" }), { ok: true });
        assert.deepStrictEqual(v.verify(clientCode(T0, 2), { kind: "client" }), { ok: false, reason: "wrong-code" });
    });

    it("refuses missing and malformed codes; only malformed ones count as wrong", () => {
        const now = { t: T0 };
        const v = verifier(now);
        for (let i = 0; i < 10; i++) assert.deepStrictEqual(v.verify(undefined, { kind: "client" }), { ok: false, reason: "missing-code" });
        assert.deepStrictEqual(v.verify("12345", { kind: "client" }), { ok: false, reason: "malformed-code" });
        assert.strictEqual(v.locked, false);
    });

    it("verifies peers against their own link secret, derived from the seed", () => {
        const now = { t: T0 };
        const v = verifier(now);
        const link = codeForCounter(peerLinkTotp(SEED, "eu-west-1", "us-west-2"), totpCounter(T0));
        const otherDirection = codeForCounter(peerLinkTotp(SEED, "us-west-2", "eu-west-1"), totpCounter(T0));
        assert.notStrictEqual(link, clientCode(T0));
        assert.deepStrictEqual(v.verify(undefined, { kind: "peer", region: "eu-west-1" }), { ok: false, reason: "missing-code" });
        assert.deepStrictEqual(v.verify(link, { kind: "peer", region: "ap-southeast-1" }), { ok: false, reason: "unknown-peer" });
        if (otherDirection !== link) assert.deepStrictEqual(v.verify(otherDirection, { kind: "peer", region: "eu-west-1" }), { ok: false, reason: "wrong-code" });
        assert.deepStrictEqual(v.verify(link, { kind: "peer", region: "eu-west-1" }), { ok: true });
        assert.deepStrictEqual(v.verify(link, { kind: "peer", region: "eu-west-1" }), { ok: false, reason: "replayed-code" });
        // The same time step on the client link is a separate code, used separately.
        assert.deepStrictEqual(v.verify(clientCode(T0), { kind: "client" }), { ok: true });
    });

    it("locks every request after 5 wrong codes in 15 minutes, for 15 minutes, even across restarts", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sync-otp-"));
        try {
            const stateFile = path.join(dir, "otp-state.json");
            const now = { t: T0 };
            const v = verifier(now, stateFile);
            for (let i = 0; i < 4; i++) assert.strictEqual((v.verify(wrongCode(now.t), { kind: "client" }) as any).reason, "wrong-code");
            assert.strictEqual(v.locked, false);
            assert.strictEqual((v.verify(wrongCode(now.t), { kind: "client" }) as any).reason, "wrong-code");
            assert.strictEqual(v.locked, true);
            const refused = v.verify(clientCode(now.t), { kind: "client" });
            assert.deepStrictEqual(refused, { ok: false, reason: "locked-out", retryAfterSeconds: 900 });
            // A restarted service keeps the lockout (and never writes the seed down).
            const restarted = verifier(now, stateFile);
            assert.strictEqual(restarted.locked, true);
            assert.ok(!fs.readFileSync(stateFile, "utf8").includes(SEED));
            now.t += 15 * 60_000 + 1;
            assert.deepStrictEqual(restarted.verify(clientCode(now.t), { kind: "client" }), { ok: true });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("forgets wrong codes older than the window", () => {
        const now = { t: T0 };
        const v = verifier(now);
        for (let i = 0; i < 4; i++) v.verify(wrongCode(now.t), { kind: "client" });
        now.t += 15 * 60_000 + 1;
        v.verify(wrongCode(now.t), { kind: "client" });
        assert.strictEqual(v.locked, false);
    });

    it("keeps used codes across restarts", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sync-otp-"));
        try {
            const stateFile = path.join(dir, "otp-state.json");
            const now = { t: T0 };
            assert.deepStrictEqual(verifier(now, stateFile).verify(clientCode(T0), { kind: "client" }), { ok: true });
            assert.deepStrictEqual(verifier(now, stateFile).verify(clientCode(T0), { kind: "client" }), { ok: false, reason: "replayed-code" });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
