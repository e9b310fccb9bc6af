/**
 * The offline engine: the same Pulumi program under Pulumi's mock runtime (a child process per
 * stack run), the same policy rules evaluated in-process, the same result shape as the real
 * engine. `up` records what was declared in a local state dir instead of creating anything.
 */
import * as path from "path";
import { Tier } from "../../../contract/catalog";
import { StackConfig } from "../../../config/config";
import { findRepoRoot } from "../../repoRoot";
import { Engine, EngineRequest, EngineResult, PlannedResource } from "../engine";
import type * as PolicyRules from "../policyRules";
import { StackFiles } from "../stackFile";
import { planDigest } from "../../promotion/planDigest";
import { RecordedResource } from "./recordingMocks";
import { RunnerOptions, startRunner } from "./runProgram";
import { RunnerSuccess } from "./runnerProtocol";
import { OfflineState } from "./offlineState";

/** What the offline engine cannot know; part of every result. */
export const OFFLINE_CAVEATS: readonly string[] = [
    "OFFLINE ENGINE: the program ran under Pulumi's mock runtime; nothing was created, changed or read in any cloud or cluster.",
    "Real provider defaults are unknown: properties a provider fills in (default encryption, engine versions, default tags) are absent, so policies see only what the program declares.",
    "Computed values are stand-ins: IDs, ARNs, endpoints and random values come from the mocks, where a real preview would show unknowns.",
    "Dynamic providers are not serialized: a dynamic resource's `__provider` input is a digest of its provider's methods, so a change only in code those methods call is not seen.",
    "Prices come from the offline price table of the cost model, not from a live pricing API; real bills differ (data transfer, requests, discounts).",
    "Drift is invisible: the offline state only records what the last offline `up` declared, and `refresh` has nothing to reconcile.",
];

/** The one line printed through `onOutput` at the start of every offline run. */
export const OFFLINE_NOTICE =
    "[offline] engine: offline (Pulumi mock runtime, no cloud calls) - cannot know real provider defaults, computed values/unknowns, real prices or drift";

/** Test hook: where an offline `up` fails on purpose (env PROMOTION_FAIL_UP or the `failUp` option). */
export type FailPoint = "after-start";
export const FAIL_UP_ENV = "PROMOTION_FAIL_UP";
/**
 * Test hook: when set (to anything but "" or "0"), an offline `up` kills the driver process
 * (SIGKILL) after the child returned the deployed resources and before the snapshot is written:
 * a crash in the middle of `up`. The previous snapshot stays whole (it is replaced by a rename).
 */
export const CRASH_DURING_UP_ENV = "PROMOTION_CRASH_DURING_UP";

export interface OfflineEngineOptions extends RunnerOptions {
    /** Repository (project) root holding Pulumi.yaml and the stack files; default: found from this module. */
    projectDir?: string;
    /** Where `up` keeps deployed snapshots; default `<projectDir>/.promotion/offline`. */
    stateDir?: string;
    /** The run's stack files (read once, shared with the CLI); default: this engine's own. */
    stackFiles?: StackFiles;
    /** Inject a failure into `up`; default: the value of env PROMOTION_FAIL_UP. */
    failUp?: FailPoint;
}

/** Figures of the last child run, for the benchmark. */
export interface OfflineRunStats {
    childMs: number;
    programMs: number;
    maxRssKb: number;
    /** CPU time of the child (user + system): what the run costs independent of machine load. */
    childCpuMs: number;
    /** The child's start-up until the SDK was loaded (the fixed part of a run), wall and CPU. */
    startupMs: number;
    startupCpuMs: number;
    /** Resources the program declared. */
    resources: number;
}

export function toPlannedResources(recorded: RecordedResource[]): PlannedResource[] {
    return recorded.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs }));
}

function parseFailPoint(value: string | undefined): FailPoint | undefined {
    if (!value) {
        return undefined;
    }
    if (value !== "after-start") {
        throw new Error(`${FAIL_UP_ENV}=${JSON.stringify(value)} is not a known failure point; use "after-start" or unset it.`);
    }
    return value;
}

export class OfflineEngine implements Engine {
    readonly name = "offline" as const;
    readonly projectDir: string;
    readonly state: OfflineState;
    /** Figures of the most recent run (benchmark). */
    lastRun?: OfflineRunStats;
    private readonly options: OfflineEngineOptions;
    private readonly stackFiles: StackFiles;

    constructor(options: OfflineEngineOptions = {}) {
        this.options = options;
        this.projectDir = options.projectDir ?? findRepoRoot();
        this.stackFiles = options.stackFiles ?? new StackFiles(this.projectDir);
        this.state = new OfflineState(options.stateDir ?? path.join(this.projectDir, ".promotion", "offline"));
    }

    /** The validated stack configuration of a run (throws ConfigError naming every bad key). */
    stackConfig(request: Pick<EngineRequest, "stack" | "tier" | "configOverrides">): StackConfig {
        return this.stackFiles.config(request.stack, request.tier, request.configOverrides);
    }

    async preview(request: EngineRequest): Promise<EngineResult> {
        const { result } = await this.run(request, false, undefined);
        return result;
    }

    async up(request: EngineRequest): Promise<EngineResult> {
        const failUp = this.options.failUp ?? parseFailPoint(process.env[FAIL_UP_ENV]);
        const { result, reply } = await this.run(request, true, failUp);
        if (!result.ok || !reply) {
            this.state.recordFailure(request.stack, request.tier, result.error ?? "unknown failure");
            return result;
        }
        if (request.plan?.digest && result.planDigest !== request.plan.digest) {
            // The program declared something else than the previewed plan: nothing is recorded.
            const error = `the plan changed between preview and up: up would apply ${result.planDigest}, the previewed plan is ${request.plan.digest}; nothing was recorded`;
            request.onOutput?.(`[offline] up refused: ${error}`);
            return { ...result, ok: false, planChanged: true, error };
        }
        const mandatory = result.policyViolations.filter((v) => v.enforcementLevel === "mandatory");
        if (mandatory.length > 0) {
            // Like `pulumi up` with policy packs: a mandatory violation stops the update, nothing changes.
            request.onOutput?.(`[offline] up refused: ${mandatory.length} mandatory policy violation(s); nothing recorded`);
            return result;
        }
        const crash = process.env[CRASH_DURING_UP_ENV];
        if (crash && crash !== "0") {
            request.onOutput?.(`[offline] ${CRASH_DURING_UP_ENV} set: killing the driver in the middle of up, before the snapshot is written`);
            process.kill(process.pid, "SIGKILL");
        }
        this.state.saveSnapshot({
            stack: request.stack,
            tier: request.tier,
            deployedAt: new Date().toISOString(),
            resources: result.resources,
            outputs: result.outputs,
            secretOutputs: result.secretOutputs,
        }, reply.otpSeed);
        request.onOutput?.(`[offline] up recorded ${result.resources.length} resources of ${request.stack} at tier ${request.tier} in ${this.state.dir}`);
        return result;
    }

    async outputs(stack: string): Promise<Record<string, unknown>> {
        return this.state.loadSnapshot(stack)?.outputs ?? {};
    }

    async deployedTier(stack: string): Promise<Tier | null | undefined> {
        return this.state.loadSnapshot(stack)?.tier ?? null;
    }

    async otpSeed(stack: string): Promise<string | undefined> {
        return this.state.loadOtpSeed(stack);
    }

    async refresh(stack: string): Promise<EngineResult> {
        const snapshot = this.state.loadSnapshot(stack);
        const tier = (snapshot?.tier ?? 0) as Tier;
        return {
            engine: this.name,
            stack,
            tier,
            ok: true,
            resources: snapshot?.resources ?? [],
            policyViolations: [],
            outputs: snapshot?.outputs ?? {},
            secretOutputs: snapshot?.secretOutputs ?? [],
            caveats: [...OFFLINE_CAVEATS],
            durationMs: 0,
        };
    }

    private async run(
        request: EngineRequest,
        includeOtpSeed: boolean,
        failUp: FailPoint | undefined,
    ): Promise<{ result: EngineResult; reply?: RunnerSuccess }> {
        const started = Date.now();
        request.onOutput?.(OFFLINE_NOTICE);
        // The child loads the SDK while this process parses the config and loads the policy rules.
        const runner = startRunner({ cwd: this.projectDir, ...this.options });
        const policyRules: Promise<typeof PolicyRules> = import("../policyRules");
        policyRules.catch(() => undefined); // awaited (and its error raised) below
        let stackConfig: StackConfig;
        let raw: Record<string, string>;
        try {
            // Parsed here first: a bad key is a ConfigError for the caller, not a crash in the child.
            stackConfig = this.stackConfig(request);
            raw = this.stackFiles.raw(request.stack, request.tier, request.configOverrides);
        } catch (error) {
            runner.cancel();
            throw error;
        }
        const base: EngineResult = {
            engine: this.name,
            stack: request.stack,
            tier: request.tier,
            ok: false,
            resources: [],
            policyViolations: [],
            outputs: {},
            secretOutputs: [],
            caveats: [...OFFLINE_CAVEATS],
            durationMs: 0,
        };
        const reply = await runner.run({
            project: this.stackFiles.projectName(),
            stack: request.stack,
            projectDir: this.projectDir,
            raw,
            includeOtpSeed,
            crashAfterStart: failUp === "after-start",
        });
        const childMs = Date.now() - started;
        if (!reply.ok) {
            const error = failUp ? `${reply.error} (injected failure ${FAIL_UP_ENV}=${failUp})` : reply.error;
            this.lastRun = { childMs, programMs: 0, maxRssKb: reply.maxRssKb, childCpuMs: 0, startupMs: 0, startupCpuMs: 0, resources: 0 };
            return { result: { ...base, error, durationMs: Date.now() - started } };
        }
        this.lastRun = {
            childMs,
            programMs: reply.programMs,
            maxRssKb: reply.maxRssKb,
            childCpuMs: reply.cpuMs,
            startupMs: reply.startupMs,
            startupCpuMs: reply.startupCpuMs,
            resources: reply.resources.length,
        };
        const resources = toPlannedResources(reply.resources);
        const policyViolations = await (await policyRules).evaluateStackPolicies(reply.resources, stackConfig, request.advisoryPolicies);
        request.onOutput?.(
            `[offline] ${request.stack} tier ${request.tier}: ${resources.length} resources, ${policyViolations.length} policy result(s) in ${childMs} ms`,
        );
        return {
            result: {
                ...base,
                ok: true,
                resources,
                policyViolations,
                outputs: reply.outputs,
                secretOutputs: reply.secretOutputs,
                durationMs: Date.now() - started,
                planDigest: planDigest(resources),
            },
            reply,
        };
    }
}
