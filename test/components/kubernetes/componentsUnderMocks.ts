/**
 * Declares components directly (not the whole program) under the recording mocks, for tests of
 * one component. Each call installs fresh mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, RecordingMocks, waitForRegistrations } from "../../../automation/engines/offline/recordingMocks";

export async function declareUnderMocks<T>(declare: () => T, stack = "dev"): Promise<{ resources: RecordedResource[]; result: T }> {
    const mocks = new RecordingMocks("ai-platform", stack);
    await pulumi.runtime.setMocks(mocks, "ai-platform", stack, false);
    const result = declare();
    await waitForRegistrations();
    return { resources: mocks.resources, result };
}

/** Value of an Output (or plain value) and whether it is secret. */
export async function resolve<T>(value: pulumi.Input<T>): Promise<{ value: T; secret: boolean }> {
    const output = pulumi.output(value);
    const secret = await pulumi.isSecret(output);
    const resolved = await new Promise<T>((done) => output.apply((v) => done(v as T)));
    return { value: resolved, secret };
}

/** Pulumi's marker of a secret value in serialized inputs. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
export function secretInput(value: any): { secret: boolean; value: unknown } {
    if (value && typeof value === "object" && value[SECRET_SIG] === SECRET_SIG_VALUE) return { secret: true, value: value.value };
    return { secret: false, value };
}
