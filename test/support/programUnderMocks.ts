/**
 * Runs the whole Pulumi program (`deployPlatform(parseStackConfig(raw))`) under the recording
 * mock runtime and returns every declared resource plus the resolved stack outputs.
 * Shared by the tests of every tier; each call installs fresh mocks, so runs do not see each
 * other's resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, RecordingMocks, resolveOutput, waitForRegistrations } from "../../automation/engines/offline/recordingMocks";
import { ServiceCatalog } from "../../contract/catalog";

export interface ProgramRun {
    resources: RecordedResource[];
    outputs: Record<string, { value: unknown; secret: boolean }>;
}

export interface RunOptions {
    /** Stack name the runtime reports (default "dev"). */
    stack?: string;
    /** Catalog passed to the program instead of the default SutazAI catalog. */
    catalog?: ServiceCatalog;
}

/** Project name of Pulumi.yaml. */
export const PROJECT = "ai-platform";

/**
 * @param raw project-namespace config values as strings, exactly as in `Pulumi.<stack>.yaml`
 *            (JSON text for lists), without the `ai-platform:` prefix.
 */
export async function runProgram(raw: Record<string, string>, opts: RunOptions = {}): Promise<ProgramRun> {
    const stack = opts.stack ?? "dev";
    const mocks = new RecordingMocks(PROJECT, stack);
    // Mocks first, program modules second: nothing may talk to the runtime before it is mocked.
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    const { parseStackConfig } = await import("../../config/config");
    const { deployPlatform } = await import("../../infra/program");

    const config = parseStackConfig(raw, PROJECT, stack);
    const exported = deployPlatform(config, opts.catalog) as unknown as Record<string, unknown>;

    const outputs: ProgramRun["outputs"] = {};
    for (const [key, value] of Object.entries(exported)) {
        outputs[key] = await resolveOutput(value);
    }
    await waitForRegistrations(mocks);
    return { resources: mocks.resources, outputs };
}

/** Resources of one type token, e.g. `aws:kms/key:Key`. */
export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}
