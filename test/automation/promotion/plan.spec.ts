import * as assert from "assert";
import { Tier } from "../../../contract/catalog";
import { PlanState, planPromotion } from "../../../automation/promotion/plan";

function state(stack: string, currentTier: Tier | null, tiers: Record<string, Tier | null> = {}): PlanState {
    return { stack, currentTier, environments: ["dev", "prod"], tiers, otp: { requiredForEnvironments: ["prod"], requiredForTiers: [3] } };
}

describe("planPromotion (pure state machine)", () => {
    it("deploys tier 0 first on a never-deployed stack", () => {
        const plan = planPromotion(state("dev", null), {});
        assert.ok(plan.ok);
        assert.deepStrictEqual(plan.steps.map((s) => [s.from, s.to]), [[null, 0]]);
    });

    it("starts a Kubernetes-only stack at its platform's lowest tier, 2, and never rolls it below", () => {
        const first = planPromotion({ ...state("dev", null), lowestTier: 2 }, { to: 3 });
        assert.ok(first.ok);
        assert.deepStrictEqual(first.steps.map((s) => [s.from, s.to]), [[null, 2], [2, 3]]);
        const rollback = planPromotion({ ...state("dev", 2), lowestTier: 2 }, { rollback: true });
        assert.strictEqual(rollback.ok, false);
        assert.ok(!rollback.ok && /lowest tier of its platform/.test(rollback.message));
    });

    it("moves one tier up by default", () => {
        const plan = planPromotion(state("dev", 1), {});
        assert.ok(plan.ok);
        assert.deepStrictEqual(plan.steps.map((s) => s.to), [2]);
    });

    it("walks step by step with --to", () => {
        const plan = planPromotion(state("dev", null), { to: 3 });
        assert.ok(plan.ok);
        assert.deepStrictEqual(plan.steps.map((s) => [s.from, s.to]), [[null, 0], [0, 1], [1, 2], [2, 3]]);
    });

    it("requires OTP for steps into tier 3 and for every prod step", () => {
        const dev = planPromotion(state("dev", null), { to: 3 });
        assert.ok(dev.ok);
        assert.deepStrictEqual(dev.steps.map((s) => s.otpRequired), [false, false, false, true]);
        const prod = planPromotion(state("prod", null, { dev: 3 }), { to: 1 });
        assert.ok(prod.ok);
        assert.deepStrictEqual(prod.steps.map((s) => s.otpRequired), [true, true]);
    });

    it("refuses a skip when walking is off", () => {
        const plan = planPromotion(state("dev", 0), { to: 2, walk: false });
        assert.strictEqual(plan.ok, false);
        assert.ok(!plan.ok && plan.reason === "skip" && /skipping a tier/.test(plan.message));
        const next = planPromotion(state("dev", 0), { to: 1, walk: false });
        assert.ok(next.ok && next.steps.length === 1);
    });

    it("refuses prod before dev reached the tier, naming dev", () => {
        const never = planPromotion(state("prod", null, { dev: null }), {});
        assert.ok(!never.ok && never.reason === "order" && /after dev was promoted to tier 0/.test(never.message));
        const partial = planPromotion(state("prod", 0, { dev: 1 }), { to: 2 });
        assert.ok(!partial.ok && partial.reason === "order" && /tier 2/.test(partial.message));
        const allowed = planPromotion(state("prod", 0, { dev: 2 }), { to: 2 });
        assert.ok(allowed.ok && allowed.steps.length === 2);
    });

    it("follows the configured order, not the names", () => {
        const custom: PlanState = { ...state("dev", null, { staging: null }), environments: ["staging", "dev"] };
        const plan = planPromotion(custom, {});
        assert.ok(!plan.ok && /after staging/.test(plan.message));
    });

    it("does nothing at the top tier or at the requested tier", () => {
        const top = planPromotion(state("dev", 3), {});
        assert.ok(top.ok && top.steps.length === 0);
        const same = planPromotion(state("dev", 2), { to: 2 });
        assert.ok(same.ok && same.steps.length === 0);
    });

    it("refuses to go down without --rollback", () => {
        const plan = planPromotion(state("dev", 2), { to: 1 });
        assert.ok(!plan.ok && plan.reason === "downward" && /--rollback/.test(plan.message));
    });

    it("rolls back to the previous tier, one tier only", () => {
        const plan = planPromotion(state("dev", 3), { rollback: true });
        assert.ok(plan.ok);
        assert.deepStrictEqual(plan.steps.map((s) => [s.kind, s.from, s.to]), [["rollback", 3, 2]]);
        const two = planPromotion(state("dev", 3), { rollback: true, to: 1 });
        assert.ok(!two.ok && two.reason === "rollback");
        const bottom = planPromotion(state("dev", 0), { rollback: true });
        assert.ok(!bottom.ok && /lowest tier/.test(bottom.message));
        const never = planPromotion(state("dev", null), { rollback: true });
        assert.ok(!never.ok && /never deployed/.test(never.message));
    });

    it("after a failed or interrupted up, rolls back by re-applying the recorded tier (the last good one)", () => {
        const failed: PlanState = { ...state("dev", 2), failedUp: { to: 3 } };
        const plan = planPromotion(failed, { rollback: true });
        assert.ok(plan.ok, plan.ok ? "" : plan.message);
        assert.deepStrictEqual(plan.steps.map((s) => [s.kind, s.from, s.to, s.otpRequired]), [["rollback", 3, 2, false]]);
        assert.match(plan.message, /re-apply tier 2, the last good one/);
        // --to must name the recorded tier; anything else is refused.
        const explicit = planPromotion(failed, { rollback: true, to: 2 });
        assert.ok(explicit.ok && explicit.steps.length === 1 && explicit.steps[0].to === 2);
        const lower = planPromotion(failed, { rollback: true, to: 1 });
        assert.ok(!lower.ok && lower.reason === "rollback" && /re-applies tier 2/.test(lower.message));
        // At tier 0 there is no tier below, but tier 0 itself can be re-applied.
        const bottom = planPromotion({ ...state("dev", 0), failedUp: { to: 1 } }, { rollback: true });
        assert.ok(bottom.ok);
        assert.deepStrictEqual(bottom.steps.map((s) => [s.from, s.to]), [[1, 0]]);
        // A failed first deployment has no good tier to return to.
        const first = planPromotion({ ...state("dev", null), failedUp: { to: 0 } }, { rollback: true });
        assert.ok(!first.ok && /never deployed/.test(first.message) && /first deployment failed/.test(first.message));
        // The failure only changes rollbacks: a promote still retries the failed step.
        const retry = planPromotion(failed, { to: 3 });
        assert.ok(retry.ok);
        assert.deepStrictEqual(retry.steps.map((s) => [s.kind, s.from, s.to]), [["promote", 2, 3]]);
    });

    it("after a successful step, a rollback still goes one tier down", () => {
        const plan = planPromotion({ ...state("dev", 2), failedUp: undefined }, { rollback: true });
        assert.ok(plan.ok);
        assert.deepStrictEqual(plan.steps.map((s) => [s.kind, s.from, s.to]), [["rollback", 2, 1]]);
    });

    it("re-applying a prod tier needs an OTP, like any prod step", () => {
        const plan = planPromotion({ ...state("prod", 2, { dev: 3 }), failedUp: { to: 3 } }, { rollback: true });
        assert.ok(plan.ok && plan.steps[0].otpRequired && plan.steps[0].to === 2);
    });

    it("requires OTP for a prod rollback", () => {
        const plan = planPromotion(state("prod", 2, { dev: 3 }), { rollback: true });
        assert.ok(plan.ok && plan.steps[0].otpRequired);
    });

    it("rejects a tier that does not exist", () => {
        assert.throws(() => planPromotion(state("dev", 0), { to: 4 as Tier }), /tier 4 does not exist/);
    });
});
