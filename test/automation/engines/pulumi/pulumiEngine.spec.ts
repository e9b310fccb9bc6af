import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, OutputMap, PreviewOptions, UpOptions } from "@pulumi/pulumi/automation";
import { DriverError, ExitCode } from "../../../../automation/exitCodes";
import { PulumiEngine, PulumiStackLike, StackFactory, maskOutputs, toPolicyViolation } from "../../../../automation/engines/pulumi/pulumiEngine";
import { COMBINED_PACK, POLICY_PACKS } from "../../../../policies/packs";
import { makeProjectCopy, removeDir, REPO_ROOT } from "../fakeProject";

// The Automation API's own factory of CLI errors, so the fakes fail exactly like the CLI does.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createCommandError: fromResult } = require("@pulumi/pulumi/automation/errors");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { CommandResult } = require("@pulumi/pulumi/automation/cmd");

function createCommandError(r: { stdout: string; stderr: string; code: number }): Error {
    return fromResult(new CommandResult(r.stdout, r.stderr, r.code));
}

const URN = "urn:pulumi:dev::ai-platform::kubernetes:apps/v1:Deployment::backend";

function policyEvent(level: "warning" | "mandatory", name = "requireContainerLimits", pack = "resource-limits"): EngineEvent {
    return {
        sequence: 1,
        timestamp: 0,
        policyEvent: {
            resourceUrn: URN,
            message: `${name} fired\n`,
            color: "never",
            policyName: name,
            policyPackName: pack,
            policyPackVersion: "0.1.0",
            policyPackVersionTag: "0.1.0",
            enforcementLevel: level,
        },
    };
}

function preEvent(urn: string, inputs: Record<string, unknown>): EngineEvent {
    const type = urn.split("::")[2];
    return {
        sequence: 2,
        timestamp: 0,
        resourcePreEvent: { metadata: { op: "create", urn, type, new: { type, urn, inputs, outputs: {} } as any, provider: "" } },
    } as EngineEvent;
}

interface FakeStack extends PulumiStackLike {
    calls: string[];
    previewOptions?: PreviewOptions;
    configFileText?: string;
    /** The policy pack config files' contents, read while the call runs (they are scratch files). */
    policyConfigTexts?: string[];
    upOptions?: UpOptions;
    config: Record<string, string>;
}

function fakeStack(behaviour: { events?: EngineEvent[]; driftEvents?: EngineEvent[]; fail?: "policy" | "crash" | "locked"; outputs?: OutputMap }): FakeStack {
    const stack: FakeStack = {
        calls: [],
        config: {},
        async setConfig(key, value) {
            stack.calls.push(`setConfig ${key}`);
            stack.config[key] = value.value;
        },
        async preview(opts) {
            stack.calls.push("preview");
            stack.previewOptions = opts;
            stack.configFileText = opts.configFile ? fs.readFileSync(opts.configFile, "utf8") : undefined;
            stack.policyConfigTexts = (opts.policyPackConfigs ?? []).map((file) => fs.readFileSync(file, "utf8"));
            for (const event of behaviour.events ?? []) opts.onEvent?.(event);
            opts.onOutput?.("Previewing update (dev)\n");
            if (behaviour.fail === "policy") throw createCommandError({ stdout: "", stderr: "error: preview failed: policy violations", code: 255 });
            if (behaviour.fail === "crash") throw createCommandError({ stdout: "", stderr: "error: plugin crashed", code: 255 });
            if (behaviour.fail === "locked") throw createCommandError({ stdout: "", stderr: "error: the stack is currently locked by 1 lock(s)", code: 255 });
            return {};
        },
        async up(opts: UpOptions) {
            stack.calls.push("up");
            stack.upOptions = opts;
            stack.configFileText = opts.configFile ? fs.readFileSync(opts.configFile, "utf8") : undefined;
            for (const event of behaviour.events ?? []) opts.onEvent?.(event);
            if (behaviour.fail === "locked") throw createCommandError({ stdout: "", stderr: "error: the stack is currently locked by 1 lock(s)", code: 255 });
            return { outputs: behaviour.outputs ?? {} };
        },
        async outputs() {
            stack.calls.push("outputs");
            return behaviour.outputs ?? {};
        },
        async refresh() {
            stack.calls.push("refresh");
            return {};
        },
        async previewRefresh(opts) {
            stack.calls.push("previewRefresh");
            for (const event of behaviour.driftEvents ?? []) opts.onEvent?.(event);
            return {};
        },
    };
    return stack;
}

describe("PulumiEngine (fake workspace)", () => {
    let workDir: string;
    let factoryCalls: Array<{ stackName: string; env: Record<string, string> }>;

    beforeEach(() => {
        workDir = makeProjectCopy(["dev"]);
        factoryCalls = [];
    });
    afterEach(() => removeDir(workDir));

    /** An empty passphrase means "not given" (the engine then falls back to the environment). */
    function engine(stack: FakeStack, passphrase = "test-passphrase"): PulumiEngine {
        const stackFactory: StackFactory = async (args, opts) => {
            factoryCalls.push({ stackName: args.stackName, env: opts.envVars ?? {} });
            return stack;
        };
        return new PulumiEngine({ workDir, passphrase: passphrase || undefined, policiesDir: path.join(REPO_ROOT, "policies"), stackFactory });
    }

    it("maps policy events: warning -> advisory, mandatory stays, message trimmed", () => {
        assert.deepStrictEqual(toPolicyViolation(policyEvent("warning").policyEvent!), {
            policyName: "requireContainerLimits",
            policyPackName: "resource-limits",
            enforcementLevel: "advisory",
            resourceUrn: URN,
            message: "requireContainerLimits fired",
        });
        assert.strictEqual(toPolicyViolation(policyEvent("mandatory").policyEvent!).enforcementLevel, "mandatory");
    });

    it("reports a violation of the combined pack under the pack its rule belongs to", () => {
        const fromCombined = (policy: string) => toPolicyViolation(policyEvent("mandatory", policy, COMBINED_PACK.name).policyEvent!).policyPackName;
        for (const pack of POLICY_PACKS) {
            assert.strictEqual(fromCombined(pack.policies[0].name), pack.name);
        }
        // A name no pack has keeps the pack the CLI reported.
        assert.strictEqual(fromCombined("no-such-policy"), COMBINED_PACK.name);
    });

    it("previews with the combined pack of all four packs' rules, its config file, and the tier in a copy of the stack file", async () => {
        const stack = fakeStack({ events: [preEvent(URN, { spec: { replicas: 3 } }), policyEvent("warning")] });
        const stackFileBefore = fs.readFileSync(path.join(workDir, "Pulumi.dev.yaml"), "utf8");
        const result = await engine(stack).preview({ stack: "dev", tier: 2 });

        assert.strictEqual(result.ok, true);
        assert.strictEqual(result.engine, "pulumi");
        assert.deepStrictEqual(result.resources, [{ urn: URN, type: "kubernetes:apps/v1:Deployment", name: "backend", props: { spec: { replicas: 3 } } }]);
        assert.strictEqual(result.policyViolations.length, 1);
        assert.deepStrictEqual(stack.previewOptions!.policyPacks, [path.join(REPO_ROOT, "policies", COMBINED_PACK.name)]);
        assert.strictEqual(stack.previewOptions!.policyPackConfigs!.length, 1);
        // One entry per policy of the four packs, with the stack's enforcement level.
        const config = JSON.parse(stack.policyConfigTexts![0]) as Record<string, { enforcementLevel: string }>;
        assert.deepStrictEqual(Object.keys(config).sort(), POLICY_PACKS.flatMap((p) => p.policies.map((x) => x.name)).sort());
        assert.ok(Object.values(config).every((entry) => ["advisory", "mandatory"].includes(entry.enforcementLevel)));
        assert.match(stack.configFileText!, /ai-platform:tier: "2"/);
        assert.strictEqual(fs.readFileSync(path.join(workDir, "Pulumi.dev.yaml"), "utf8"), stackFileBefore, "preview must not change the stack file");
        assert.ok(!stack.calls.some((c) => c.startsWith("setConfig")));
    });

    it("returns collected violations with ok=true when the CLI fails only because of a mandatory policy", async () => {
        const stack = fakeStack({ events: [policyEvent("mandatory"), policyEvent("warning", "other")], fail: "policy" });
        const result = await engine(stack).preview({ stack: "dev", tier: 1 });
        assert.strictEqual(result.ok, true);
        assert.strictEqual(result.error, undefined);
        assert.deepStrictEqual(result.policyViolations.map((v) => v.enforcementLevel), ["mandatory", "advisory"]);
    });

    it("reports an engine failure (ok=false, cause kept) when the CLI fails without a mandatory violation", async () => {
        const stack = fakeStack({ events: [policyEvent("warning")], fail: "crash" });
        const result = await engine(stack).preview({ stack: "dev", tier: 1 });
        assert.strictEqual(result.ok, false);
        assert.match(result.error!, /plugin crashed/);
    });

    it("refuses to run without PULUMI_CONFIG_PASSPHRASE and says how to fix it", async () => {
        const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
        delete process.env.PULUMI_CONFIG_PASSPHRASE;
        try {
            await assert.rejects(
                engine(fakeStack({}), "").preview({ stack: "dev", tier: 0 }),
                (e: unknown) => e instanceof DriverError && e.exitCode === ExitCode.BadInput && /PULUMI_CONFIG_PASSPHRASE is not set/.test(e.message),
            );
            assert.strictEqual(factoryCalls.length, 0);
        } finally {
            if (saved !== undefined) process.env.PULUMI_CONFIG_PASSPHRASE = saved;
        }
    });

    it("passes the passphrase and a file:// backend inside the project to the CLI, never in results", async () => {
        const stack = fakeStack({ fail: "crash" });
        const result = await engine(stack).preview({ stack: "dev", tier: 0 });
        assert.strictEqual(factoryCalls[0].env.PULUMI_CONFIG_PASSPHRASE, "test-passphrase");
        assert.strictEqual(factoryCalls[0].env.PULUMI_BACKEND_URL, `file://${path.join(workDir, ".pulumi-state")}`);
        assert.ok(fs.existsSync(path.join(workDir, ".pulumi-state")));
        assert.ok(!JSON.stringify(result).includes("test-passphrase"));
    });

    it("surfaces Pulumi's stack lock as the driver's Locked refusal", async () => {
        await assert.rejects(
            engine(fakeStack({ fail: "locked" })).up({ stack: "dev", tier: 1 }),
            (e: unknown) => e instanceof DriverError && e.exitCode === ExitCode.Locked && /locked by another update/.test(e.message),
        );
    });

    it("up persists the tier with setConfig and masks secret outputs; otpSeed reads the secret", async () => {
        const outputs: OutputMap = { url: { value: "https://ai.example.com", secret: false }, otpSeed: { value: "JBSWY3DPEHPK3PXP", secret: true } };
        const stack = fakeStack({ outputs });
        const e = engine(stack);
        const stackFileBefore = fs.readFileSync(path.join(workDir, "Pulumi.dev.yaml"), "utf8");
        const result = await e.up({ stack: "dev", tier: 3, configOverrides: { policyEnforcement: "mandatory" } });
        assert.strictEqual(result.ok, true);
        assert.strictEqual(stack.config["ai-platform:tier"], "3");
        // The override reaches the CLI through the run's config file only, never the tracked stack file.
        assert.deepStrictEqual(stack.calls.filter((c) => c.startsWith("setConfig")), ["setConfig ai-platform:tier"]);
        assert.strictEqual(stack.config["ai-platform:policyEnforcement"], undefined);
        assert.strictEqual(fs.readFileSync(path.join(workDir, "Pulumi.dev.yaml"), "utf8"), stackFileBefore, "up must not write overrides into the stack file");
        assert.match(stack.configFileText!, /ai-platform:policyEnforcement: mandatory/);
        assert.match(stack.configFileText!, /ai-platform:tier: "3"/);
        // The CLI reads config only from configFile: the copy keeps every key of the stack file.
        for (const line of stackFileBefore.split("\n").filter((l) => /^\s+ai-platform:/.test(l) && !/policyEnforcement|tier:/.test(l))) {
            assert.ok(stack.configFileText!.includes(line.trim()), `run config lacks ${line.trim()}`);
        }
        assert.deepStrictEqual(stack.upOptions!.policyPacks, [path.join(REPO_ROOT, "policies", COMBINED_PACK.name)]);
        assert.strictEqual(stack.upOptions!.policyPackConfigs!.length, 1);
        assert.ok(!fs.existsSync(stack.upOptions!.configFile!), "the scratch copy is removed after up");
        assert.deepStrictEqual(result.outputs, { url: "https://ai.example.com", otpSeed: "[secret]" });
        assert.deepStrictEqual(result.secretOutputs, ["otpSeed"]);
        assert.ok(!JSON.stringify(result).includes("JBSWY3DPEHPK3PXP"));
        assert.deepStrictEqual(await e.outputs("dev"), { url: "https://ai.example.com", otpSeed: "[secret]" });
        assert.strictEqual(await e.otpSeed("dev"), "JBSWY3DPEHPK3PXP");
        assert.strictEqual(factoryCalls.length, 1, "the stack is selected once per engine");
    });

    it("drift lists the resources a refresh preview would change (not the same ones, not providers), and changes nothing", async () => {
        // What a refresh preview of the real CLI sends: every resource announced as "refresh", the finding in the outputs event.
        const event = (op: string, urn: string, diffs?: string[]) =>
            ({
                sequence: 1,
                timestamp: 0,
                resOutputsEvent: { metadata: { op, urn, type: urn.split("::")[2], provider: "", ...(diffs ? { detailedDiff: Object.fromEntries(diffs.map((d) => [d, { diffKind: "update", inputDiff: false }])) } : {}) } },
            }) as unknown as EngineEvent;
        const scaled = "urn:pulumi:dev::ai-platform::kubernetes:apps/v1:Deployment::api";
        const gone = "urn:pulumi:dev::ai-platform::kubernetes:core/v1:Service::api";
        const stack = fakeStack({
            driftEvents: [
                event("same", "urn:pulumi:dev::ai-platform::kubernetes:core/v1:Namespace::ns"),
                event("update", scaled, ["spec.replicas"]),
                event("delete", gone),
                event("update", "urn:pulumi:dev::ai-platform::pulumi:providers:kubernetes::k8s", ["version"]),
            ],
        });
        const drifted = await engine(stack).drift("dev");
        assert.deepStrictEqual(drifted, [
            { urn: scaled, type: "kubernetes:apps/v1:Deployment", op: "update", properties: ["spec.replicas"] },
            { urn: gone, type: "kubernetes:core/v1:Service", op: "delete", properties: [] },
        ]);
        assert.deepStrictEqual(stack.calls, ["previewRefresh"]);
    });

    it("passes the request's abort signal to up, so the rollout watch can stop it", async () => {
        const stack = fakeStack({});
        const controller = new AbortController();
        await engine(stack).up({ stack: "dev", tier: 2, signal: controller.signal });
        assert.strictEqual(stack.upOptions!.signal, controller.signal);
    });

    it("maskOutputs hides every secret output", () => {
        assert.deepStrictEqual(maskOutputs({ a: { value: 1, secret: false }, b: { value: "x", secret: true } }), {
            outputs: { a: 1, b: "[secret]" },
            secretOutputs: ["b"],
        });
    });
});
