/**
 * Child process of the offline engine: runs the Pulumi program once under the recording mock
 * runtime and replies with what it declared. Forked per stack run; exits after replying.
 */
// The SDK captures a stack trace for every promise it creates; without traces a run is ~2x faster.
Error.stackTraceLimit = 0;

// Compile cache, and the TypeScript compiler (which the SDK loads and never uses here) on first use.
import "../../../policies/shared/nodeStartup";
import { standInDynamicProviders } from "./dynamicProviders";
import type { RunnerReply, RunnerRequest } from "./runnerProtocol";

// Load the SDK now, while the parent prepares the request (it arrives once this is done).
// The program itself is imported only after the mocks are installed.
skipSourcePositions(require("@pulumi/pulumi"));
standInDynamicProviders();
const startup = { ms: Math.round(performance.now()), cpuMs: cpuMs() };

/**
 * Every resource constructor asks for its source position, for which the SDK takes a stack trace
 * of unlimited depth and parses each frame. Under the mock runtime nobody reads it: report none.
 */
function skipSourcePositions(sdk: typeof import("@pulumi/pulumi")): void {
    (sdk.Resource as unknown as { callsites: () => unknown[] }).callsites = () => [];
}

async function run(request: RunnerRequest): Promise<RunnerReply> {
    const started = Date.now();
    // Mocks first, program modules second: nothing may talk to the runtime before it is mocked.
    const pulumi = await import("@pulumi/pulumi");
    const { RecordingMocks, resolveOutput, waitForRegistrations, scrubSecrets } = await import("./recordingMocks");
    const { OTP_SEED_OUTPUT, SECRET_PLACEHOLDER } = await import("../engine");
    const mocks = new RecordingMocks(request.project, request.stack);
    await pulumi.runtime.setMocks(mocks, request.project, request.stack, false);
    const namespaced: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.raw)) {
        namespaced[`${request.project}:${key}`] = value;
    }
    pulumi.runtime.setAllConfig(namespaced);

    const { parseStackConfig } = await import("../../../config/config");
    const { deployPlatform } = await import("../../../infra/program");
    const config = parseStackConfig(request.raw, request.project, request.stack, request.projectDir);
    const exported = (deployPlatform(config) ?? {}) as unknown as Record<string, unknown>;

    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    let otpSeed: string | undefined;
    for (const [key, value] of Object.entries(exported)) {
        const resolved = await resolveOutput(value);
        if (resolved.secret) {
            secretOutputs.push(key);
            outputs[key] = SECRET_PLACEHOLDER;
            if (typeof resolved.value === "string") {
                mocks.secretValues.add(resolved.value);
            }
            if (key === OTP_SEED_OUTPUT && request.includeOtpSeed && typeof resolved.value === "string") {
                otpSeed = resolved.value;
            }
        } else {
            outputs[key] = resolved.value;
        }
    }
    await waitForRegistrations(mocks);

    if (request.crashAfterStart) {
        process.exit(70);
    }
    const resources = scrubSecrets(mocks.resources, mocks.secretValues);
    // Outputs are plain but may still embed a generated secret (a connection string, say).
    const safeOutputs = scrubSecrets(
        [{ type: "outputs", name: "outputs", urn: "outputs", custom: false, inputs: outputs, id: "" }],
        mocks.secretValues,
    )[0].inputs;
    return {
        ok: true,
        resources,
        outputs: safeOutputs,
        secretOutputs,
        otpSeed,
        programMs: Date.now() - started,
        startupMs: startup.ms,
        startupCpuMs: startup.cpuMs,
        maxRssKb: process.resourceUsage().maxRSS,
        cpuMs: cpuMs(),
    };
}

function cpuMs(): number {
    const usage = process.cpuUsage();
    return Math.round((usage.user + usage.system) / 1000);
}

function describe(error: unknown): string {
    if (error instanceof Error) {
        return error.message || error.name;
    }
    return String(error);
}

let replied = false;
function reply(message: RunnerReply): void {
    if (replied) {
        return;
    }
    replied = true;
    process.send!(message, () => process.exit(0));
}

function fail(error: unknown): void {
    reply({ ok: false, error: describe(error), maxRssKb: process.resourceUsage().maxRSS });
}

// A program error inside an apply surfaces as an unhandled rejection, not through `run`.
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);
process.once("message", (message) => {
    run(message as RunnerRequest).then(reply, fail);
});
