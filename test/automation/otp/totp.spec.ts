import * as assert from "assert";
import { DEFAULT_DRIVER_CONFIG } from "../../../automation/driverConfig";
import { currentCode, verifyOtp } from "../../../automation/otp/totp";
import { emptyState } from "../../../automation/state/stackState";

const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const POLICY = DEFAULT_DRIVER_CONFIG.otp;
const T0 = new Date("2026-03-01T12:00:10Z");

function wrongCodeFor(seed: string, now: Date): string {
    const good = new Set([-30_000, 0, 30_000].map((d) => currentCode(seed, new Date(now.getTime() + d))));
    for (let i = 0; ; i++) {
        const candidate = String(100000 + i);
        if (!good.has(candidate)) return candidate;
    }
}

describe("OTP approval (TOTP, SHA1, 6 digits, 30 s)", () => {
    it("generates RFC 6238 codes (test vector of RFC 6238 appendix B, SHA1, truncated to 6 digits)", () => {
        // Seed "12345678901234567890" in base32; at T=59 s the 8-digit code is 94287082.
        assert.strictEqual(currentCode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", new Date(59_000)), "287082");
    });

    it("accepts a valid code", () => {
        const otp = emptyState("prod").otp;
        const outcome = verifyOtp({ stack: "prod", code: currentCode(SEED, T0), seed: SEED, otp, policy: POLICY, now: T0 });
        assert.deepStrictEqual(outcome, { ok: true });
        assert.strictEqual(otp.usedCounters.length, 1);
    });

    it("accepts the previous code (clock drift of one step)", () => {
        const otp = emptyState("prod").otp;
        const outcome = verifyOtp({ stack: "prod", code: currentCode(SEED, new Date(T0.getTime() - 30_000)), seed: SEED, otp, policy: POLICY, now: T0 });
        assert.ok(outcome.ok);
    });

    it("refuses a wrong code and counts it", () => {
        const otp = emptyState("prod").otp;
        const outcome = verifyOtp({ stack: "prod", code: wrongCodeFor(SEED, T0), seed: SEED, otp, policy: POLICY, now: T0 });
        assert.ok(!outcome.ok && outcome.reason === "wrong" && /4 more wrong code/.test(outcome.message));
        assert.strictEqual(otp.wrongCodes.length, 1);
    });

    it("refuses a replayed code within its window, without counting it as wrong", () => {
        const otp = emptyState("prod").otp;
        const code = currentCode(SEED, T0);
        assert.ok(verifyOtp({ stack: "prod", code, seed: SEED, otp, policy: POLICY, now: T0 }).ok);
        const again = verifyOtp({ stack: "prod", code, seed: SEED, otp, policy: POLICY, now: new Date(T0.getTime() + 20_000) });
        assert.ok(!again.ok && again.reason === "replayed");
        assert.strictEqual(otp.wrongCodes.length, 0);
    });

    it("keeps replay bookkeeping per stack", () => {
        const dev = emptyState("dev").otp;
        const prod = emptyState("prod").otp;
        const code = currentCode(SEED, T0);
        assert.ok(verifyOtp({ stack: "dev", code, seed: SEED, otp: dev, policy: POLICY, now: T0 }).ok);
        assert.ok(verifyOtp({ stack: "prod", code, seed: SEED, otp: prod, policy: POLICY, now: T0 }).ok);
    });

    it("locks the stack after 5 wrong codes in 15 minutes, refusing even a valid code", () => {
        const otp = emptyState("prod").otp;
        let last;
        for (let i = 0; i < 5; i++) {
            const now = new Date(T0.getTime() + i * 60_000);
            last = verifyOtp({ stack: "prod", code: wrongCodeFor(SEED, now), seed: SEED, otp, policy: POLICY, now });
        }
        assert.ok(last && !last.ok && last.reason === "locked");
        assert.strictEqual(otp.lockedUntil, new Date(T0.getTime() + 4 * 60_000 + 15 * 60_000).toISOString());
        const later = new Date(T0.getTime() + 10 * 60_000);
        const valid = verifyOtp({ stack: "prod", code: currentCode(SEED, later), seed: SEED, otp, policy: POLICY, now: later });
        assert.ok(!valid.ok && valid.reason === "locked");
    });

    it("lifts the lock after it expires", () => {
        const otp = emptyState("prod").otp;
        otp.lockedUntil = new Date(T0.getTime() + 60_000).toISOString();
        const after = new Date(T0.getTime() + 61_000);
        assert.ok(verifyOtp({ stack: "prod", code: currentCode(SEED, after), seed: SEED, otp, policy: POLICY, now: after }).ok);
        assert.strictEqual(otp.lockedUntil, undefined);
    });

    it("forgets wrong codes older than the window", () => {
        const otp = emptyState("prod").otp;
        for (let i = 0; i < 4; i++) verifyOtp({ stack: "prod", code: "000000", seed: SEED, otp, policy: POLICY, now: T0 });
        const later = new Date(T0.getTime() + 16 * 60_000);
        const outcome = verifyOtp({ stack: "prod", code: wrongCodeFor(SEED, later), seed: SEED, otp, policy: POLICY, now: later });
        assert.ok(!outcome.ok && outcome.reason === "wrong");
        assert.strictEqual(otp.lockedUntil, undefined);
    });

    it("honours a configured lockout", () => {
        const otp = emptyState("prod").otp;
        const policy = { ...POLICY, maxWrongCodes: 2, lockoutMinutes: 1 };
        verifyOtp({ stack: "prod", code: "abc", seed: SEED, otp, policy, now: T0 });
        const second = verifyOtp({ stack: "prod", code: "abc", seed: SEED, otp, policy, now: T0 });
        assert.ok(!second.ok && second.reason === "locked");
        assert.strictEqual(otp.lockedUntil, new Date(T0.getTime() + 60_000).toISOString());
    });

    it("refuses without a code, and without a deployed gate, with clear messages", () => {
        const otp = emptyState("prod").otp;
        const missing = verifyOtp({ stack: "prod", code: undefined, seed: SEED, otp, policy: POLICY, now: T0 });
        assert.ok(!missing.ok && missing.reason === "missing" && /--otp CODE or set PROMOTION_OTP/.test(missing.message));
        const noGate = verifyOtp({ stack: "prod", code: "123456", seed: undefined, otp, policy: POLICY, now: T0 });
        assert.ok(!noGate.ok && noGate.reason === "no-gate" && /no deployed OtpGate/.test(noGate.message));
        assert.strictEqual(otp.wrongCodes.length, 0);
    });

    it("without a code on a stack with no gate yet, points to --bootstrap-otp-gate, not to --otp", () => {
        const otp = emptyState("prod").otp;
        for (const code of [undefined, "", "  "]) {
            const outcome = verifyOtp({ stack: "prod", code, seed: undefined, otp, policy: POLICY, now: T0 });
            assert.ok(!outcome.ok, "refused");
            if (outcome.ok) continue;
            assert.strictEqual(outcome.reason, "no-gate");
            assert.match(outcome.message, /no deployed OtpGate yet, so no OTP code exists/);
            assert.match(outcome.message, /first deployment pass --bootstrap-otp-gate/);
            assert.doesNotMatch(outcome.message, /^this step needs an OTP code: pass --otp/);
        }
        assert.strictEqual(otp.wrongCodes.length, 0, "not a wrong code");
    });

    it("never puts the seed into bookkeeping or messages", () => {
        const otp = emptyState("prod").otp;
        const messages: string[] = [];
        const code = currentCode(SEED, T0);
        for (const c of [code, code, "999999", "12", undefined]) {
            const outcome = verifyOtp({ stack: "prod", code: c, seed: SEED, otp, policy: POLICY, now: T0 });
            if (!outcome.ok) messages.push(outcome.message);
        }
        const text = JSON.stringify(otp) + messages.join("\n");
        assert.ok(!text.includes(SEED));
        assert.ok(!text.includes(code), "the accepted code itself is not stored either");
        assert.throws(() => currentCode("not base32 !!"), (e: Error) => !e.message.includes("not base32 !!"));
    });
});
