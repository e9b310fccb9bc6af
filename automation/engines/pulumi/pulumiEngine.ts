/**
 * The real engine: Pulumi's Automation API (`LocalWorkspace`) on this repository's program, a
 * local `file://` backend by default, the passphrase secrets provider, and all four policy packs
 * with the stack's policy config on every preview and up.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import {
    CommandError,
    ConcurrentUpdateError,
    EngineEvent,
    LocalWorkspace,
    LocalWorkspaceOptions,
    OutputMap,
    PreviewOptions,
    PulumiCommand,
    UpOptions,
} from "@pulumi/pulumi/automation";
import { Tier } from "../../../contract/catalog";
import { StackConfig } from "../../../config/config";
import { DriverError, ExitCode } from "../../exitCodes";
import { findRepoRoot } from "../../repoRoot";
import { DriftedResource, Engine, EngineRequest, EngineResult, OTP_SEED_OUTPUT, PlannedResource, PolicyViolation, scrubSecrets, SECRET_PLACEHOLDER } from "../engine";
import { planDigest } from "../../promotion/planDigest";
import { combinedPolicyPack, reportedPackName } from "../policyRules";
import { projectName, StackFiles, stackFilePath } from "../stackFile";

export const PASSPHRASE_ENV = "PULUMI_CONFIG_PASSPHRASE";
/** How the CLI words a refusal of `up --plan` (an operation or a property the plan does not hold). */
export const PLAN_VIOLATION = /(violates plan|plan (?:for|does not|mismatch)|not (?:in|allowed by) the plan|expected .* plan)/i;
export const BACKEND_ENV = "PULUMI_BACKEND_URL";

/** The part of an Automation API `Stack` this engine uses (tests pass a fake). */
export interface PulumiStackLike {
    setConfig(key: string, value: { value: string; secret?: boolean }): Promise<void>;
    preview(opts: PreviewOptions): Promise<unknown>;
    up(opts: UpOptions): Promise<{ outputs: OutputMap }>;
    outputs(): Promise<OutputMap>;
    refresh(opts: { onOutput?: (out: string) => void }): Promise<unknown>;
    previewRefresh(opts: { onEvent?: (event: EngineEvent) => void }): Promise<unknown>;
}

/** Creates or selects a stack of the project in `workDir` (default: `LocalWorkspace.createOrSelectStack`). */
export type StackFactory = (args: { stackName: string; workDir: string }, opts: LocalWorkspaceOptions) => Promise<PulumiStackLike>;

export interface PulumiEngineOptions {
    /** Project directory holding Pulumi.yaml, the stack files and policies/; default: the repository root. */
    workDir?: string;
    /** Backend URL; default env PULUMI_BACKEND_URL, else `file://<workDir>/.pulumi-state`. */
    backendUrl?: string;
    /** Secrets passphrase; default env PULUMI_CONFIG_PASSPHRASE (required, never logged). */
    passphrase?: string;
    /** Folder of the policy packs; default `<workDir>/policies`. */
    policiesDir?: string;
    /** Directory that holds `bin/pulumi`; default: the `pulumi` on PATH. */
    pulumiRoot?: string;
    /** Extra environment for the CLI (PULUMI_HOME, plugin settings...). */
    envVars?: Record<string, string>;
    /** Injected in tests; default `LocalWorkspace.createOrSelectStack`. */
    stackFactory?: StackFactory;
    /** The run's stack files (read once, shared with the CLI); default: this engine's own. */
    stackFiles?: StackFiles;
}

const defaultStackFactory: StackFactory = (args, opts) => LocalWorkspace.createOrSelectStack(args, opts);

/**
 * "warning" is how the CLI spells advisory. A violation of the combined pack is reported under
 * the pack its rule belongs to, as if the four packs had run.
 */
export function toPolicyViolation(event: NonNullable<EngineEvent["policyEvent"]>): PolicyViolation {
    return {
        policyName: event.policyName,
        policyPackName: reportedPackName(event.policyPackName, event.policyName),
        enforcementLevel: event.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
        resourceUrn: event.resourceUrn || undefined,
        message: event.message.trim(),
    };
}

/** Plain outputs with secrets masked, and the names of the secret ones. */
export function maskOutputs(outputs: OutputMap): { outputs: Record<string, unknown>; secretOutputs: string[] } {
    const plain: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [key, output] of Object.entries(outputs)) {
        if (output.secret) {
            secretOutputs.push(key);
            plain[key] = SECRET_PLACEHOLDER;
        } else {
            plain[key] = output.value;
        }
    }
    return { outputs: plain, secretOutputs };
}

/** Collects what a preview or up reports through engine events. */
class EventCollector {
    readonly violations: PolicyViolation[] = [];
    private readonly resources = new Map<string, PlannedResource>();

    readonly onEvent = (event: EngineEvent): void => {
        if (event.policyEvent) {
            this.violations.push(toPolicyViolation(event.policyEvent));
        }
        const step = event.resourcePreEvent?.metadata;
        if (step && step.op !== "delete" && step.new) {
            const urn = step.new.urn;
            this.resources.set(urn, { urn, type: step.new.type, name: urn.split("::").pop() ?? urn, props: step.new.inputs ?? {} });
        }
    };

    planned(): PlannedResource[] {
        return [...this.resources.values()];
    }

    hasMandatory(): boolean {
        return this.violations.some((v) => v.enforcementLevel === "mandatory");
    }
}

export class PulumiEngine implements Engine {
    readonly name = "pulumi" as const;
    readonly workDir: string;
    private readonly options: PulumiEngineOptions;
    private readonly stacks = new Map<string, Promise<PulumiStackLike>>();

    constructor(options: PulumiEngineOptions = {}) {
        this.options = options;
        this.workDir = path.resolve(options.workDir ?? findRepoRoot());
    }

    get backendUrl(): string {
        return this.options.backendUrl ?? process.env[BACKEND_ENV] ?? `file://${path.join(this.workDir, ".pulumi-state")}`;
    }

    /** The validated StackConfig of a run (throws ConfigError naming every bad key). */
    stackConfig(request: Pick<EngineRequest, "stack" | "tier" | "configOverrides">): StackConfig {
        return (this.options.stackFiles ??= new StackFiles(this.workDir)).config(request.stack, request.tier, request.configOverrides);
    }

    async preview(request: EngineRequest): Promise<EngineResult> {
        return this.operate(request, "preview", async (stack, options) => {
            await stack.preview(options);
            return undefined;
        });
    }

    async up(request: EngineRequest): Promise<EngineResult> {
        return this.operate(request, "up", async (stack, options) => {
            // Only the tier persists in the stack file, so a later plain `pulumi up` keeps the
            // deployed tier; the run's other overrides stay in the scratch copy, as for preview.
            await stack.setConfig(`${projectName(this.workDir)}:tier`, { value: String(request.tier) });
            return (await stack.up(options)).outputs;
        });
    }

    async outputs(stackName: string): Promise<Record<string, unknown>> {
        const stack = await this.stack(stackName);
        return maskOutputs(await this.guard(stackName, () => stack.outputs())).outputs;
    }

    async deployedTier(stackName: string): Promise<Tier | null | undefined> {
        const stack = await this.stack(stackName);
        let outputs: OutputMap;
        try {
            outputs = await this.guard(stackName, () => stack.outputs());
        } catch (error) {
            if (error instanceof DriverError) throw error;
            return undefined;
        }
        if (Object.keys(outputs).length === 0) return null;
        const tier = Number(outputs.tier?.value);
        return [0, 1, 2, 3].includes(tier) ? (tier as Tier) : undefined;
    }

    async otpSeed(stackName: string): Promise<string | undefined> {
        const stack = await this.stack(stackName);
        const output = (await this.guard(stackName, () => stack.outputs()))[OTP_SEED_OUTPUT];
        return typeof output?.value === "string" ? output.value : undefined;
    }

    async refresh(stackName: string): Promise<EngineResult> {
        const started = Date.now();
        const base = this.baseResult(stackName, 0);
        try {
            const stack = await this.stack(stackName);
            await this.guard(stackName, () => stack.refresh({}));
            const masked = maskOutputs(await stack.outputs());
            const tier = Number(masked.outputs.tier);
            return { ...base, tier: ([0, 1, 2, 3].includes(tier) ? tier : 0) as Tier, ok: true, ...masked, durationMs: Date.now() - started };
        } catch (error) {
            if (error instanceof DriverError) throw error;
            return { ...base, error: this.describe(error), durationMs: Date.now() - started };
        }
    }

    /** A refresh preview: the resources whose live state differs from the state, nothing changed. */
    async drift(stackName: string): Promise<DriftedResource[]> {
        const stack = await this.stack(stackName);
        const drifted = new Map<string, DriftedResource>();
        await this.guard(stackName, () =>
            stack.previewRefresh({
                onEvent: (event) => {
                    // A refresh preview announces every resource as "refresh" and reports what it
                    // found in the outputs event: "update" (with the properties that differ) or "delete".
                    const step = event.resOutputsEvent?.metadata;
                    if (!step || (step.op !== "update" && step.op !== "delete") || step.type === "pulumi:pulumi:Stack") return;
                    if (step.urn.includes("::pulumi:providers:")) return;
                    const properties = step.detailedDiff ? Object.keys(step.detailedDiff) : [...(step.diffs ?? [])];
                    drifted.set(step.urn, { urn: step.urn, type: step.type, op: step.op, properties });
                },
            }),
        );
        return [...drifted.values()];
    }

    /**
     * Runs one stack operation with the run's config (a scratch copy of the stack file with the
     * tier and overrides, so the tracked file never takes the overrides) and all policy packs with
     * their config; turns CLI failures into results (policy-only failures stay ok).
     */
    private async operate(
        request: EngineRequest,
        operation: "preview" | "up",
        body: (stack: PulumiStackLike, options: PreviewOptions & UpOptions) => Promise<OutputMap | undefined>,
    ): Promise<EngineResult> {
        const started = Date.now();
        const collector = new EventCollector();
        const base = this.baseResult(request.stack, request.tier);
        const stackConfig = this.stackConfig(request);
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `ai-platform-${operation}-`));
        try {
            const stack = await this.stack(request.stack);
            const pack = combinedPolicyPack(this.options.policiesDir ?? path.join(this.workDir, "policies"), stackConfig, scratch, request.advisoryPolicies);
            const options: PreviewOptions & UpOptions = {
                configFile: this.writeRunConfigFile(request, scratch),
                policyPacks: [pack.dir],
                policyPackConfigs: [pack.config],
                onEvent: collector.onEvent,
                onOutput: this.lineWriter(request),
                ...(request.signal ? { signal: request.signal } : {}),
                // preview: save the update plan there (--save-plan); up: apply exactly it (--plan).
                ...(request.plan?.file ? { plan: request.plan.file } : {}),
            };
            const outputs = await this.guard(request.stack, () => body(stack, options));
            const masked = outputs ? maskOutputs(outputs) : { outputs: {}, secretOutputs: [] };
            const resources = collector.planned();
            return { ...base, ok: true, resources, policyViolations: collector.violations, ...masked, durationMs: Date.now() - started, planDigest: planDigest(resources) };
        } catch (error) {
            if (error instanceof DriverError) throw error;
            const policyOnly = error instanceof CommandError && collector.hasMandatory();
            const resources = collector.planned();
            const described = this.describe(error);
            // `up --plan` refuses operations the saved plan does not hold.
            const planChanged = operation === "up" && request.plan?.file !== undefined && PLAN_VIOLATION.test(described);
            return {
                ...base,
                ok: policyOnly,
                resources,
                policyViolations: collector.violations,
                error: policyOnly ? undefined : planChanged ? `the plan changed between preview and up (up --plan refused): ${described}` : described,
                durationMs: Date.now() - started,
                planDigest: planDigest(resources),
                ...(planChanged ? { planChanged } : {}),
            };
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    }

    private baseResult(stack: string, tier: Tier): EngineResult {
        return { engine: this.name, stack, tier, ok: false, resources: [], policyViolations: [], outputs: {}, secretOutputs: [], caveats: [], durationMs: 0 };
    }

    /** Pulumi's stack lock is surfaced as the driver's "locked" refusal, not as an engine crash. */
    private async guard<T>(stackName: string, action: () => Promise<T>): Promise<T> {
        try {
            return await action();
        } catch (error) {
            if (error instanceof ConcurrentUpdateError || (error as Error)?.name === "ConcurrentUpdateError") {
                throw new DriverError(
                    ExitCode.Locked,
                    `Stack ${stackName} is locked by another update (Pulumi's stack lock on ${this.backendUrl}); ` +
                        `wait for it to finish, or if no update is running, clear the stale lock with \`pulumi cancel --stack ${stackName}\`.`,
                );
            }
            throw error;
        }
    }

    private passphrase(): string {
        const passphrase = this.options.passphrase ?? process.env[PASSPHRASE_ENV];
        if (!passphrase) {
            throw new DriverError(
                ExitCode.BadInput,
                `${PASSPHRASE_ENV} is not set: the pulumi engine encrypts stack secrets (the OTP seed) with a passphrase. ` +
                    `Set ${PASSPHRASE_ENV} (in CI from a secret store), or run with --engine offline.`,
            );
        }
        return passphrase;
    }

    private stack(stackName: string): Promise<PulumiStackLike> {
        let stack = this.stacks.get(stackName);
        if (!stack) {
            stack = this.openStack(stackName);
            stack.catch(() => this.stacks.delete(stackName));
            this.stacks.set(stackName, stack);
        }
        return stack;
    }

    private async openStack(stackName: string): Promise<PulumiStackLike> {
        const passphrase = this.passphrase();
        const backendUrl = this.backendUrl;
        if (backendUrl.startsWith("file://")) {
            fs.mkdirSync(backendUrl.slice("file://".length), { recursive: true });
        }
        const opts: LocalWorkspaceOptions = {
            workDir: this.workDir,
            secretsProvider: "passphrase",
            envVars: {
                PULUMI_SKIP_UPDATE_CHECK: "true",
                ...(this.options.envVars ?? {}),
                [BACKEND_ENV]: backendUrl,
                [PASSPHRASE_ENV]: passphrase,
            },
        };
        if (this.options.pulumiRoot) {
            opts.pulumiCommand = await PulumiCommand.get({ root: this.options.pulumiRoot });
        }
        return (this.options.stackFactory ?? defaultStackFactory)({ stackName, workDir: this.workDir }, opts);
    }

    /**
     * A copy of the stack file with the run's tier and overrides, in `scratch`. Given a
     * `configFile`, the CLI reads config from that file only, so the copy carries everything.
     */
    private writeRunConfigFile(request: EngineRequest, scratch: string): string {
        const project = projectName(this.workDir);
        const document = (parseYaml(fs.readFileSync(stackFilePath(this.workDir, request.stack), "utf8")) ?? {}) as { config?: Record<string, unknown> };
        document.config = { ...(document.config ?? {}) };
        for (const [key, value] of Object.entries({ ...(request.configOverrides ?? {}), tier: String(request.tier) })) {
            document.config[`${project}:${key}`] = value;
        }
        const file = path.join(scratch, `Pulumi.${request.stack}.yaml`);
        fs.writeFileSync(file, stringifyYaml(document));
        return file;
    }

    /** Forwards the CLI's output line by line. */
    private lineWriter(request: EngineRequest): ((out: string) => void) | undefined {
        const onOutput = request.onOutput;
        if (!onOutput) return undefined;
        return (out: string) => {
            for (const line of out.split("\n")) {
                if (line.trim()) onOutput(line.trimEnd());
            }
        };
    }

    /** An error's message with the passphrase masked, should the CLI ever echo it. */
    private describe(error: unknown): string {
        const text = error instanceof Error ? error.message : String(error);
        return scrubSecrets(text, [this.options.passphrase ?? process.env[PASSPHRASE_ENV]]);
    }
}
