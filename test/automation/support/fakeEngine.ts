/**
 * A small in-memory Engine for testing the promotion core without the program: each tier
 * "declares" a configurable number of priced nodes, policies and failures are scripted,
 * and the OtpGate seed exists once tier `gateFromTier` was deployed.
 */
import { Tier } from "../../../contract/catalog";
import { Engine, EngineRequest, EngineResult, PolicyViolation } from "../../../automation/engines/engine";
import { CostFigures } from "../../../automation/promotion/gates";
import { planDigest } from "../../../automation/promotion/planDigest";
import { DEFAULT_DRIVER_CONFIG } from "../../../automation/driverConfig";
import type { PromotionOptions } from "../../../automation/promotion/types";

export const FAKE_SEED = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWC4DF";

export class FakeEngine implements Engine {
    readonly name = "offline" as const;
    deployed = new Map<string, Tier>();
    calls: string[] = [];
    violations: (req: EngineRequest) => PolicyViolation[] = () => [];
    failUpAt?: Tier;
    /** When set, `up` declares one more node than the preview did: a plan that changed after the preview. */
    mutateAtUp = false;
    gateFromTier: Tier = 2;

    async preview(req: EngineRequest): Promise<EngineResult> {
        this.calls.push(`preview ${req.stack} ${req.tier}`);
        return this.result(req, true);
    }

    async up(req: EngineRequest): Promise<EngineResult> {
        this.calls.push(`up ${req.stack} ${req.tier}`);
        if (this.failUpAt === req.tier) return { ...this.result(req, false), error: "simulated provider error" };
        const planned = this.result(req, true, this.mutateAtUp ? 1 : 0);
        if (req.plan?.digest && planned.planDigest !== req.plan.digest) {
            return { ...planned, ok: false, planChanged: true, error: `the plan changed between preview and up (${planned.planDigest} is not ${req.plan.digest})` };
        }
        this.deployed.set(req.stack, req.tier);
        return this.result(req, true);
    }

    async outputs(stack: string): Promise<Record<string, unknown>> {
        return { tier: this.deployed.get(stack), otpSeed: "[secret]" };
    }

    async deployedTier(stack: string): Promise<Tier | null | undefined> {
        return this.deployed.get(stack) ?? null;
    }

    async otpSeed(stack: string): Promise<string | undefined> {
        const tier = this.deployed.get(stack);
        return tier !== undefined && tier >= this.gateFromTier ? FAKE_SEED : undefined;
    }

    async refresh(stack: string): Promise<EngineResult> {
        this.calls.push(`refresh ${stack}`);
        return this.result({ stack, tier: this.deployed.get(stack) ?? 0 }, true);
    }

    private result(req: EngineRequest, ok: boolean, extraNodes = 0): EngineResult {
        const resources = [{ urn: `urn:node:${req.tier}`, type: "fake:node", name: "n", props: { nodes: 1 + req.tier * 3 + extraNodes } }];
        return {
            engine: "offline",
            stack: req.stack,
            tier: req.tier,
            ok,
            planDigest: planDigest(resources),
            resources,
            policyViolations: this.violations(req),
            outputs: { tier: req.tier, otpSeed: "[secret]" },
            secretOutputs: ["otpSeed"],
            caveats: ["fake engine"],
            durationMs: 1,
        };
    }
}

/** $100/month per node, worst case twice that; $0.5/hour per node worst case. */
export function fakeCost(resources: { props: Record<string, any> }[]): CostFigures {
    const nodes = resources.reduce((n, r) => n + (r.props.nodes ?? 0), 0);
    return { monthlyExpected: nodes * 100, monthlyWorstCase: nodes * 200, hourlyWorstCase: nodes * 0.5 };
}

/** Promotion options for the fake engine: the default driver config, generous caps, the fake cost model. */
export function promotionOptions(stateDir: string, stack: string, extra: Partial<PromotionOptions> = {}): PromotionOptions {
    return {
        stack,
        request: {},
        stateDir,
        driverConfig: DEFAULT_DRIVER_CONFIG,
        capsFor: () => ({ monthlyCap: 5000, maxCostPerHour: 50 }),
        estimateCost: fakeCost,
        actor: "tester",
        ...extra,
    };
}
