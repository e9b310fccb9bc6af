/**
 * Command-line parsing (node:util parseArgs): one command word, then flags. Turns every
 * problem into a DriverError(BadInput) that names the flag and the fix.
 */
import { parseArgs } from "node:util";
import { Tier, TIERS } from "../infra/catalog/types";
import { EngineName } from "./engines/engine";
import { DriverError, ExitCode } from "./exitCodes";

export const COMMANDS = ["promote", "status", "history", "review", "otp-code", "policy-config", "clusters", "help"] as const;
export const CLUSTER_ACTIONS = ["start", "status", "stop"] as const;
export const DRIFT_CHOICES = ["adopt", "overwrite"] as const;
export type DriftChoice = (typeof DRIFT_CHOICES)[number];
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
    command: Command;
    stack?: string;
    to?: Tier;
    engine?: EngineName;
    otp?: string;
    rollback: boolean;
    noWalk: boolean;
    bootstrapOtpGate: boolean;
    json: boolean;
    out?: string;
    stateDir?: string;
    /** --config key=value (repeatable): stack config overrides, key without the project namespace. */
    config: Record<string, string>;
    /** clusters: start, status or stop. */
    action?: (typeof CLUSTER_ACTIONS)[number];
    /** promote: skip the Kubernetes preflight (recorded in the audit). */
    skipPreflight: boolean;
    /** promote: what to do when the deployed stack drifted (default: refuse). */
    onDrift?: DriftChoice;
}

export const USAGE = `Usage: driver <command> [flags]

Commands:
  promote --stack S [--to N] [--rollback] [--no-walk] [--otp CODE] [--engine pulumi|offline]
          [--config key=value ...] [--bootstrap-otp-gate] [--json]
      Promote S one tier up (or walk to tier N step by step); --rollback returns to the previous tier.
  status [--json]                       Tier, last promotion and pending gates of every stack.
  history --stack S [--json]            The stack's audit log.
  review --stack S --to N [--out DIR] [--engine E] [--config key=value ...]
      Cost-cap review report (Markdown, JSON, SVG) of moving S to tier N.
  otp-code --stack S [--engine E]       Print the current 6-digit OTP code of S's OtpGate (local use; refused in CI).
  policy-config --stack S --out DIR     Write the --policy-pack-config JSON file of each policy pack
                                        (--to N: at tier N; default the stack's tier, else its platform's lowest).
  clusters start|status|stop --stack S  Local Kubernetes clusters of a platform-kubernetes stack (one per region,
                                        fake nodes shaped like its node pools); start writes its kubeconfig.

Promotion on Kubernetes targets (pulumi engine, platform kubernetes with a kubeconfig):
  --on-drift adopt|overwrite  when the clusters drifted from the state: adopt records the clusters' values in
                              the state and stops; overwrite refreshes and goes on, so up restores the program's.
  --skip-preflight            skip the capacity/StorageClass/IngressClass preflight (recorded in the audit).

Common flags: --state-dir DIR (default <repo>/.promotion), --json, --help.
OTP codes come from --otp or env PROMOTION_OTP; never from a prompt.
Exit codes: 0 ok, 1 internal error, 2 bad input, 3 policy violation, 4 over cap, 5 OTP refused/locked,
            6 engine failure, 7 stack locked by another promotion, 8 refused by the promotion order,
            9 target refused by the preflight, 10 drift detected.`;

function bad(message: string): DriverError {
    return new DriverError(ExitCode.BadInput, `${message}\n\n${USAGE}`);
}

export function parseTier(value: string, flag: string): Tier {
    const tier = Number(value);
    if (!/^\d+$/.test(value) || !TIERS.includes(tier as Tier)) throw bad(`${flag} ${value}: a tier is 0, 1, 2 or 3`);
    return tier as Tier;
}

export function parseCliArgs(argv: string[]): CliArgs {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: {
                stack: { type: "string" },
                to: { type: "string" },
                engine: { type: "string" },
                otp: { type: "string" },
                rollback: { type: "boolean", default: false },
                "no-walk": { type: "boolean", default: false },
                "bootstrap-otp-gate": { type: "boolean", default: false },
                json: { type: "boolean", default: false },
                out: { type: "string" },
                "state-dir": { type: "string" },
                config: { type: "string", multiple: true },
                "skip-preflight": { type: "boolean", default: false },
                "on-drift": { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
        });
    } catch (e) {
        throw bad((e as Error).message);
    }
    const { values, positionals } = parsed;
    const word = values.help ? "help" : positionals[0] ?? "help";
    if (!COMMANDS.includes(word as Command)) throw bad(`unknown command "${word}"; use one of ${COMMANDS.join(", ")}`);
    const command = word as Command;
    let action: CliArgs["action"];
    if (command === "clusters") {
        if (!CLUSTER_ACTIONS.includes(positionals[1] as (typeof CLUSTER_ACTIONS)[number])) {
            throw bad(`clusters needs an action: ${CLUSTER_ACTIONS.join(", ")} (e.g. clusters start --stack local)`);
        }
        action = positionals[1] as CliArgs["action"];
        if (positionals.length > 2) throw bad(`unexpected argument "${positionals[2]}"`);
    } else if (positionals.length > 1) {
        throw bad(`unexpected argument "${positionals[1]}"`);
    }
    const onDrift = values["on-drift"];
    if (onDrift !== undefined && !DRIFT_CHOICES.includes(onDrift as DriftChoice)) throw bad(`--on-drift ${onDrift}: use ${DRIFT_CHOICES.join(" or ")}`);
    if (values.engine !== undefined && values.engine !== "pulumi" && values.engine !== "offline") {
        throw bad(`--engine ${values.engine}: use pulumi or offline`);
    }
    const config: Record<string, string> = {};
    for (const pair of values.config ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw bad(`--config ${pair}: write key=value, e.g. --config monthlyCostCap=1`);
        const key = pair.slice(0, eq).replace(/^ai-platform:/, "");
        if (key === "tier") throw bad(`--config tier=...: the driver sets the tier; use --to`);
        config[key] = pair.slice(eq + 1);
    }
    const args: CliArgs = {
        command,
        stack: values.stack,
        to: values.to !== undefined ? parseTier(values.to, "--to") : undefined,
        engine: values.engine as EngineName | undefined,
        otp: values.otp,
        rollback: values.rollback ?? false,
        noWalk: values["no-walk"] ?? false,
        bootstrapOtpGate: values["bootstrap-otp-gate"] ?? false,
        json: values.json ?? false,
        out: values.out,
        stateDir: values["state-dir"],
        config,
        ...(action ? { action } : {}),
        skipPreflight: values["skip-preflight"] ?? false,
        ...(onDrift ? { onDrift: onDrift as DriftChoice } : {}),
    };
    const needsStack: Command[] = ["promote", "history", "review", "otp-code", "policy-config", "clusters"];
    if ((args.skipPreflight || args.onDrift) && command !== "promote") throw bad(`--skip-preflight and --on-drift only apply to promote`);
    if (needsStack.includes(command) && !args.stack) throw bad(`${command} needs --stack, e.g. --stack dev`);
    if (command === "review" && args.to === undefined) throw bad(`review needs --to N, the proposed tier`);
    if (command === "policy-config" && !args.out) throw bad(`policy-config needs --out DIR`);
    if (args.rollback && command !== "promote") throw bad(`--rollback only applies to promote`);
    if (args.noWalk && args.to === undefined) throw bad(`--no-walk needs --to N`);
    return args;
}
