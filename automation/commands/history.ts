/**
 * `history`: the audit records of a stack, and with --verify the state of its hash chain.
 */
import { inspectAudit, verifyChain } from "../audit/auditLog";
import { ExitCode } from "../exitCodes";
import { tierLabel } from "../promotion/plan";
import { CommandEnv } from "./context";

/** `history`: the audit records of a stack, and with --verify the state of its hash chain. */
export function history(env: CommandEnv): number {
    const stack = env.args.stack!;
    const contents = inspectAudit(env.stateDir, stack);
    const records = contents.records;
    const verdict = env.args.verify ? verifyChain(env.stateDir, stack, env.args.expectHead) : undefined;
    const problems = [
        ...(contents.torn ? [`the log ends in a torn line of ${contents.torn.bytes} byte(s) (a crash while appending): the next promote sets it aside`] : []),
        ...contents.badLines.map((b) => `line ${b.line} is not a record: ${b.text}`),
    ];
    if (env.args.json) {
        env.io.out(JSON.stringify({ stack, records, problems, ...(verdict ? { chain: verdict } : {}) }, null, 2));
    } else {
        if (records.length === 0) env.io.out(`no audit records for ${stack} in ${env.stateDir}`);
        for (const r of records) {
            const cost = r.cost ? ` $${r.cost.monthlyExpected.toFixed(2)}/mo of cap $${r.cost.monthlyCap.toFixed(2)}` : "";
            const violations = r.policyViolations?.length ? ` ${r.policyViolations.length} policy result(s)` : "";
            const exempted = r.policyViolations?.filter((v) => v.exemption?.status === "active").length ?? 0;
            const what = r.kind === "maintenance" ? `maintenance ${r.event ?? ""}` : `${r.kind} ${tierLabel(r.fromTier)} -> ${tierLabel(r.toTier)} ${r.result}${r.refusal ? ` (${r.refusal})` : ""}`;
            env.io.out(
                `${r.time} ${what} by ${r.actor} (${r.engine})${cost}${violations}${exempted ? `, ${exempted} exempted` : ""} otp:${r.otpVerified ? "yes" : "no"}` +
                    `${r.planDigest ? ` plan:${r.planDigest.slice(0, 19)}` : ""}${r.message ? ` - ${r.message}` : ""}`,
            );
        }
        for (const p of problems) env.io.out(`problem: ${p}`);
        if (verdict) {
            for (const b of verdict.breaks) env.io.out(`chain ${b.acknowledged ? "break (acknowledged)" : "BREAK"}: ${b.kind} at line ${b.line}: ${b.message}`);
            env.io.out(verdict.ok
                ? `chain ok: ${verdict.records} record(s)${verdict.head ? `, head seq ${verdict.head.seq} ${verdict.head.hash}` : ""}`
                : `chain BROKEN: ${verdict.breaks.filter((b) => !b.acknowledged).length} break(s) in ${verdict.records} record(s)`);
        }
    }
    return verdict && !verdict.ok ? ExitCode.StateProblem : ExitCode.Success;
}
