/**
 * Messages between the offline engine and its runner child process (one child per stack run,
 * so runs never share the mock runtime's global state).
 */
import { RecordedResource } from "./recordingMocks";

export interface RunnerRequest {
    project: string;
    stack: string;
    /** Directory relative paths in the config (renderDir, kubeconfig) are resolved against. */
    projectDir: string;
    /** Project-namespace config (key without namespace -> string), tier included. */
    raw: Record<string, string>;
    /**
     * Send the plain value of the secret output `otpSeed` back (only `up` asks, to keep it in
     * the state dir for OTP checks). Every other secret output stays masked.
     */
    includeOtpSeed: boolean;
    /** Test hook: exit abruptly after the program declared its resources, before replying. */
    crashAfterStart?: boolean;
}

export interface RunnerSuccess {
    ok: true;
    /** Every declared resource, secrets masked. */
    resources: RecordedResource[];
    /** Plain outputs; secret outputs are "[secret]". */
    outputs: Record<string, unknown>;
    secretOutputs: string[];
    /** Present only when the request asked for it and the program exports it. */
    otpSeed?: string;
    /** Time the program took to declare and resolve everything, in the child. */
    programMs: number;
    /** From the child's start until it had loaded the Pulumi SDK (the fixed start-up), wall and CPU. */
    startupMs: number;
    startupCpuMs: number;
    /** Peak resident memory of the child, kilobytes. */
    maxRssKb: number;
    /** CPU time (user + system) of the child over its whole life, milliseconds. */
    cpuMs: number;
}

export interface RunnerFailure {
    ok: false;
    error: string;
    maxRssKb: number;
}

export type RunnerReply = RunnerSuccess | RunnerFailure;
