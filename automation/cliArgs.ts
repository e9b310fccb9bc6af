/**
 * Command-line parsing (node:util parseArgs): one command word, then flags. Turns every
 * problem into a DriverError(BadInput) that names the flag and the fix.
 */
import { parseArgs } from "node:util";
import { Tier, TIERS } from "../contract/catalog";
import { EngineName } from "./engines/engine";
import { DriverError, ExitCode } from "./exitCodes";

export const COMMANDS = ["promote", "status", "history", "review", "otp-code", "policy-config", "repair-state", "clusters", "help"] as const;
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
    /** repair-state: take the engine's deployed tier over the audit log's. */
    adoptEngineTier: boolean;
    /** SARIF 2.1.0 file of the run's policy and cost results. */
    sarif?: string;
    /** JUnit XML file of the run's policy and cost results. */
    junit?: string;
    /** promote: the plan digest a review showed; the step must preview exactly this plan. */
    approvePlan?: string;
    /** promote: go on despite breaks of the audit hash chain (recorded). */
    acknowledgeAuditBreaks: boolean;
    /** history: verify the audit hash chain. */
    verify: boolean;
    /** history --verify: the head hash anchored elsewhere (CI log, stack output). */
    expectHead?: string;
}

export const USAGE = `Usage: driver <command> [flags]

Commands:
  promote --stack S [--to N] [--rollback] [--no-walk] [--otp CODE] [--engine pulumi|offline]
          [--config key=value ...] [--bootstrap-otp-gate] [--approve-plan DIGEST]
          [--acknowledge-audit-breaks] [--sarif FILE] [--junit FILE] [--json]
      Promote S one tier up (or walk to tier N step by step); --rollback returns to the previous tier.
  status [--json]                       Tier, last promotion and pending gates of every stack.
  history --stack S [--verify [--expect-head HASH]] [--json]
      The stack's audit log; --verify checks its hash chain (exit 9 on a break).
  review --stack S --to N [--out DIR] [--engine E] [--config key=value ...]
      Cost-cap review report (Markdown, JSON, SVG) of moving S to tier N.
  otp-code --stack S [--engine E]       Print the current 6-digit OTP code of S's OtpGate (local use; refused in CI).
  policy-config --stack S --out DIR     Write the --policy-pack-config JSON file of each policy pack
                                        (--to N: at tier N; default the stack's tier, else its platform's lowest).
  repair-state --stack S [--adopt-engine-tier]
      Rebuild the stack's state file from its audit log (checked against the engine); audited.
  clusters start|status|stop --stack S  Local Kubernetes clusters of a platform-kubernetes stack (one per region,
                                        fake nodes shaped like its node pools); start writes its kubeconfig.

Promotion on Kubernetes targets (pulumi engine, platform kubernetes with a kubeconfig):
  --on-drift adopt|overwrite  when the clusters drifted from the state: adopt records the clusters' values in
                              the state and stops; overwrite refreshes and goes on, so up restores the program's.
  --skip-preflight            skip the capacity/StorageClass/IngressClass preflight (recorded in the audit).

Common flags: --state-dir DIR (default <repo>/.promotion; relative to the working directory), --json, --help.
Each flag but --config is given at most once.
OTP codes come from --otp or env PROMOTION_OTP; never from a prompt.
Exit codes: 0 ok, 1 internal error, 2 bad input, 3 policy violation, 4 over cap, 5 OTP refused/locked,
            6 engine failure, 7 stack locked by another promotion, 8 refused by the promotion order,
            9 driver state unusable or disagreeing (audit log, engine), 10 plan changed since preview/review,
            11 target refused by the preflight, 12 drift detected.`;

function bad(message: string): DriverError {
    return new DriverError(ExitCode.BadInput, `${message}\n\n${USAGE}`);
}

export function parseTier(value: string, flag: string): Tier {
    const tier = Number(value);
    if (!/^\d+$/.test(value) || !TIERS.includes(tier as Tier)) throw bad(`${flag} ${value}: a tier is 0, 1, 2 or 3`);
    return tier as Tier;
}

function parseDigest(value: string, flag: string): string {
    const hex = value.trim().toLowerCase().replace(/^sha256:/, "");
    if (!/^[0-9a-f]{64}$/.test(hex)) throw bad(`${flag} ${value}: a digest is sha256: followed by 64 hex digits, as the review report or history --verify prints it`);
    return `sha256:${hex}`;
}

export function parseCliArgs(argv: string[]): CliArgs {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            strict: true,
            tokens: true,
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
                "adopt-engine-tier": { type: "boolean", default: false },
                sarif: { type: "string" },
                junit: { type: "string" },
                "approve-plan": { type: "string" },
                "acknowledge-audit-breaks": { type: "boolean", default: false },
                verify: { type: "boolean", default: false },
                "expect-head": { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
        });
    } catch (e) {
        throw bad((e as Error).message);
    }
    const { values, positionals, tokens } = parsed;
    // A repeated flag is a mistake (a pasted command line, a CI variable set twice): refused, not "last one wins".
    const seen = new Map<string, string[]>();
    for (const token of tokens ?? []) {
        if (token.kind !== "option" || token.name === "config") continue;
        seen.set(token.name, [...(seen.get(token.name) ?? []), token.value ?? "(set)"]);
    }
    for (const [name, given] of seen) {
        if (given.length > 1) throw bad(`--${name} is given ${given.length} times (${given.map((g) => JSON.stringify(g)).join(", ")}): give it once`);
    }
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
        if (key === "environment") throw bad(`--config environment=...: a stack's environment (its OTP and order rules) comes from its stack file only`);
        if (key === "policyExemptions") throw bad(`--config policyExemptions=...: exemptions cannot be added from the command line; list them in the stack file, where they are reviewed`);
        if (key in config) throw bad(`--config ${key} is given twice (${JSON.stringify(config[key])} and ${JSON.stringify(pair.slice(eq + 1))}): give it once`);
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
        adoptEngineTier: values["adopt-engine-tier"] ?? false,
        sarif: values.sarif,
        junit: values.junit,
        approvePlan: values["approve-plan"] !== undefined ? parseDigest(values["approve-plan"], "--approve-plan") : undefined,
        acknowledgeAuditBreaks: values["acknowledge-audit-breaks"] ?? false,
        verify: values.verify ?? false,
        expectHead: values["expect-head"] !== undefined ? parseDigest(values["expect-head"], "--expect-head") : undefined,
    };
    const needsStack: Command[] = ["promote", "history", "review", "otp-code", "policy-config", "repair-state", "clusters"];
    if ((args.skipPreflight || args.onDrift) && command !== "promote") throw bad(`--skip-preflight and --on-drift only apply to promote`);
    if (needsStack.includes(command) && !args.stack) throw bad(`${command} needs --stack, e.g. --stack dev`);
    if (command === "review" && args.to === undefined) throw bad(`review needs --to N, the proposed tier`);
    if (command === "policy-config" && !args.out) throw bad(`policy-config needs --out DIR`);
    if (args.rollback && command !== "promote") throw bad(`--rollback only applies to promote`);
    if (args.noWalk && args.to === undefined) throw bad(`--no-walk needs --to N`);
    if (args.adoptEngineTier && command !== "repair-state") throw bad(`--adopt-engine-tier only applies to repair-state`);
    if ((args.sarif !== undefined || args.junit !== undefined) && command !== "promote") throw bad(`--sarif and --junit apply to promote`);
    if ((args.approvePlan !== undefined || args.acknowledgeAuditBreaks) && command !== "promote") throw bad(`--approve-plan and --acknowledge-audit-breaks apply to promote`);
    if (args.approvePlan !== undefined && args.rollback) throw bad(`--approve-plan applies to a promotion step, not to --rollback`);
    if ((args.verify || args.expectHead !== undefined) && command !== "history") throw bad(`--verify and --expect-head apply to history`);
    if (args.expectHead !== undefined && !args.verify) throw bad(`--expect-head needs --verify`);
    return args;
}
