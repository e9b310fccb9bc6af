/**
 * The promotion as an evidence chain: approval bound to the previewed plan, the audit log's hash
 * chain, exemptions with an approver and an expiry, SARIF (validated against the published SARIF
 * 2.1.0 schema with ajv) and JUnit XML (read back with a JUnit XML parser).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv-draft-04";
import { Tier } from "../../contract/catalog";
import { parseExemptions, PolicyExemption } from "../../config/config";
import { AuditRecord, headFile, lineHash, readAudit, verifyChain } from "../../automation/audit/auditLog";
import { OfflineEngine } from "../../automation/engines/offline/offlineEngine";
import { ExitCode } from "../../automation/exitCodes";
import { applyExemptions, exemptedPolicies } from "../../automation/promotion/exemptions";
import { canonicalJson, planDigest } from "../../automation/promotion/planDigest";
import { runPromotion } from "../../automation/promotion/runPromotion";
import { junitXml } from "../../automation/reports/junit";
import { sarifLog } from "../../automation/reports/sarif";
import { StateStore } from "../../automation/state/stackState";
import { cli, ROOT, tempStateDir } from "./support/cliHarness";
import { FakeEngine, promotionOptions } from "./support/fakeEngine";
import type { PromotionSummary } from "../../automation/promotion/types";

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "evidence-"));
}

const EXEMPTION: PolicyExemption = { policy: "resource-limits/require-limits", resource: "ollama*", reason: "GPU sizing under review", approver: "alice@example.com", expires: "2099-12-31" };

describe("approval bound to the previewed plan", function () {
    this.timeout(600_000);

    it("the digest is canonical: the same resources in any order and key order give the same digest; any change another", () => {
        const a = [{ urn: "urn:b", type: "t", name: "b", props: { x: 1, y: { q: 2, p: [1, 2] } } }, { urn: "urn:a", type: "t", name: "a", props: {} }];
        const b = [{ urn: "urn:a", type: "t", name: "a", props: {} }, { urn: "urn:b", type: "t", name: "b", props: { y: { p: [1, 2], q: 2 }, x: 1 } }];
        assert.strictEqual(planDigest(a), planDigest(b));
        assert.match(planDigest(a), /^sha256:[0-9a-f]{64}$/);
        assert.notStrictEqual(planDigest(a), planDigest([{ ...a[0], props: { ...a[0].props, x: 2 } }, a[1]]));
        assert.notStrictEqual(planDigest(a), planDigest([a[0]]));
        assert.strictEqual(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{"a":[{"c":2,"d":1}],"b":1}');
    });

    it("refuses an up whose plan is not the previewed one (exit 10), records plan-changed and deploys nothing", async () => {
        const dir = tempDir();
        const engine = new FakeEngine();
        engine.mutateAtUp = true;
        const summary = await runPromotion(engine, promotionOptions(dir, "dev"));
        assert.strictEqual(summary.exitCode, ExitCode.PlanChanged, summary.message);
        assert.match(summary.message, /plan changed between preview and up/);
        assert.strictEqual(new StateStore(dir).read("dev").tier, null);
        const last = readAudit(dir, "dev").pop()!;
        assert.deepStrictEqual([last.result, last.planDigest], ["plan-changed", summary.steps[0].planDigest]);
        assert.strictEqual(engine.deployed.get("dev"), undefined);
    });

    it("the offline engine's up refuses a digest other than the previewed plan's, recording nothing", async () => {
        const stateDir = tempDir();
        const engine = new OfflineEngine({ projectDir: ROOT, stateDir });
        const preview = await engine.preview({ stack: "dev", tier: 0 });
        assert.ok(preview.ok && preview.planDigest);
        const up = await engine.up({ stack: "dev", tier: 0, plan: { digest: `sha256:${"0".repeat(64)}` } });
        assert.strictEqual(up.ok, false);
        assert.strictEqual(up.planChanged, true);
        assert.strictEqual(engine.state.loadSnapshot("dev"), undefined, "nothing recorded");
        const applied = await engine.up({ stack: "dev", tier: 0, plan: { digest: preview.planDigest } });
        assert.ok(applied.ok, applied.error);
        assert.strictEqual(engine.state.loadSnapshot("dev")?.tier, 0);
    });

    it("a review approved later applies only while the plan is unchanged (CLI, offline engine)", async () => {
        const dir = tempStateDir();
        const out = tempStateDir();
        const review = await cli(["review", "--stack", "dev", "--to", "0", "--engine", "offline", "--out", out, "--json", "--state-dir", dir]);
        assert.strictEqual(review.code, ExitCode.Success, review.text());
        const digest = review.json().planDigest as string;
        assert.match(digest, /^sha256:[0-9a-f]{64}$/);
        assert.match(fs.readFileSync(path.join(out, "dev-tier0.md"), "utf8"), new RegExp(`--approve-plan ${digest}`));
        // The config changed after the review: the step's plan is another one.
        const changed = await cli(["promote", "--stack", "dev", "--engine", "offline", "--config", "hostDataVolumeGb=200", "--approve-plan", digest, "--state-dir", dir]);
        assert.strictEqual(changed.code, ExitCode.PlanChanged, changed.text());
        assert.match(changed.text(), /the plan changed since it was reviewed: approved sha256:/);
        assert.ok(!fs.existsSync(path.join(dir, "offline", "dev", "snapshot.json")), "nothing deployed");
        const refused = readAudit(dir, "dev").pop()!;
        assert.deepStrictEqual([refused.result, refused.approvedPlan], ["plan-changed", digest]);
        const same = await cli(["promote", "--stack", "dev", "--engine", "offline", "--approve-plan", digest, "--json", "--state-dir", dir]);
        assert.strictEqual(same.code, ExitCode.Success, same.text());
        const applied = readAudit(dir, "dev").filter((r) => r.result === "succeeded").pop()!;
        assert.deepStrictEqual([applied.planDigest, applied.approvedPlan], [digest, digest]);
    });

    it("refuses --approve-plan for a run of several steps (exit 2, audited)", async () => {
        const dir = tempDir();
        const summary = await runPromotion(new FakeEngine(), promotionOptions(dir, "dev", { request: { to: 2 }, approvedPlan: `sha256:${"a".repeat(64)}` }));
        assert.strictEqual(summary.exitCode, ExitCode.BadInput);
        assert.match(summary.message, /--approve-plan binds the plan of one step/);
        assert.strictEqual(readAudit(dir, "dev").pop()!.result, "refused");
    });
});

describe("tamper-evident audit log", () => {
    /** A log of dev promoted 0 -> 2 (6 records) written by the driver. */
    async function log(): Promise<{ dir: string; file: string; lines: string[] }> {
        const dir = tempDir();
        const summary = await runPromotion(new FakeEngine(), promotionOptions(dir, "dev", { request: { to: 2 } }));
        assert.strictEqual(summary.exitCode, ExitCode.Success);
        assert.deepStrictEqual(summary.auditHead, verifyChain(dir, "dev").head);
        const file = path.join(dir, "audit", "dev.jsonl");
        return { dir, file, lines: fs.readFileSync(file, "utf8").trim().split("\n") };
    }
    const write = (file: string, lines: string[]) => fs.writeFileSync(file, lines.join("\n") + "\n");

    it("chains every record to the one before, the first to its stack and creation", async () => {
        const { dir, lines } = await log();
        const records = lines.map((l) => JSON.parse(l) as AuditRecord);
        assert.deepStrictEqual(records.map((r) => r.seq), [0, 1, 2, 3, 4, 5]);
        assert.deepStrictEqual(records[0].chain?.stack, "dev");
        for (let i = 1; i < records.length; i++) assert.strictEqual(records[i].prev, lineHash(lines[i - 1]));
        const verdict = verifyChain(dir, "dev");
        assert.deepStrictEqual([verdict.ok, verdict.records, verdict.breaks], [true, 6, []]);
        assert.strictEqual(verdict.head?.hash, lineHash(lines[5]));
    });

    const tamper: [string, (lines: string[]) => string[], string, number][] = [
        ["an edited record", (l) => l.map((x, i) => (i === 2 ? x.replace('"actor":"tester"', '"actor":"mallory"') : x)), "edited", 3],
        ["an edited first record", (l) => l.map((x, i) => (i === 0 ? x.replace('"actor":"tester"', '"actor":"mallory"') : x)), "edited", 1],
        ["an edited last record", (l) => l.map((x, i) => (i === 5 ? x.replace('"actor":"tester"', '"actor":"mallory"') : x)), "edited", 6],
        ["a removed record", (l) => l.filter((_, i) => i !== 3), "removed", 4],
        ["a removed first record", (l) => l.slice(1), "removed", 1],
        ["two reordered records", (l) => [l[0], l[1], l[3], l[2], l[4], l[5]], "reordered", 4],
        ["a truncated log", (l) => l.slice(0, 4), "truncated", 4],
        ["a line that is not a record", (l) => [...l.slice(0, 2), "garbage", ...l.slice(2)], "not-a-record", 3],
    ];
    for (const [what, change, kind, line] of tamper) {
        it(`detects ${what} at its position, refuses to promote (exit 9), and goes on only when acknowledged (audited)`, async () => {
            const { dir, file, lines } = await log();
            write(file, change(lines));
            const verdict = verifyChain(dir, "dev");
            assert.strictEqual(verdict.ok, false);
            assert.ok(verdict.breaks.some((b) => b.kind === kind && b.line === line), JSON.stringify(verdict.breaks));
            const history = await cli(["history", "--stack", "dev", "--verify", "--state-dir", dir]);
            assert.strictEqual(history.code, ExitCode.StateProblem, history.text());
            assert.match(history.text(), new RegExp(`chain BREAK: ${kind} at line ${line}`));

            const engine = new FakeEngine();
            engine.deployed.set("dev", 2);
            const refused = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 } }));
            assert.strictEqual(refused.exitCode, ExitCode.StateProblem, refused.message);
            assert.match(refused.message, /fails its hash chain/);
            assert.match(refused.message, /--acknowledge-audit-breaks/);
            const acknowledged = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 }, acknowledgeChainBreaks: true }));
            assert.doesNotMatch(acknowledged.message, /fails its hash chain/, "acknowledged breaks no longer stop the run");
            const ack = readAudit(dir, "dev").find((r) => r.event === "chain-acknowledged")!;
            assert.ok(ack && ack.actor === "tester" && ack.acknowledged!.some((a) => a.kind === kind));
            const after = verifyChain(dir, "dev");
            assert.ok(after.ok, JSON.stringify(after.breaks));
            assert.ok(after.breaks.every((b) => b.acknowledged));
        });
    }

    it("checks the head against an anchor kept outside the state dir (--expect-head)", async () => {
        const { dir, file, lines } = await log();
        const anchored = lineHash(lines[5]);
        const ok = await cli(["history", "--stack", "dev", "--verify", "--expect-head", anchored, "--state-dir", dir]);
        assert.strictEqual(ok.code, ExitCode.Success, ok.text());
        assert.match(ok.text(), new RegExp(`chain ok: 6 record\\(s\\), head seq 5 ${anchored}`));
        // A rewrite that also rewrites the head file beside the log: only the anchor shows it.
        write(file, lines.slice(0, 4));
        fs.writeFileSync(headFile(dir, "dev"), JSON.stringify({ seq: 3, hash: lineHash(lines[3]) }));
        assert.ok(verifyChain(dir, "dev").ok, "undetectable from inside the state dir");
        const anchoredRun = await cli(["history", "--stack", "dev", "--verify", "--expect-head", anchored, "--json", "--state-dir", dir]);
        assert.strictEqual(anchoredRun.code, ExitCode.StateProblem);
        assert.strictEqual(anchoredRun.json().chain.breaks[0].kind, "head-mismatch");
    });
});

describe("exemptions", () => {
    const now = new Date("2026-06-15T12:00:00Z");
    const violation = (urn: string, level: "mandatory" | "advisory" = "mandatory") => ({
        policyName: "require-limits", policyPackName: "resource-limits", enforcementLevel: level, resourceUrn: urn, message: "no limits",
    });

    it("parses the stack file's list and refuses incomplete entries naming the field", () => {
        const problems: string[] = [];
        const parsed = parseExemptions(JSON.stringify([EXEMPTION, { policy: "x", resource: "y", reason: "z", approver: "", expires: "2026-02-30" }, { ...EXEMPTION, extra: 1 }]), (p) => problems.push(p));
        assert.deepStrictEqual(parsed, [EXEMPTION]);
        assert.ok(problems.some((p) => /entry 2: approver is missing or empty/.test(p)), problems.join("\n"));
        assert.ok(problems.some((p) => /entry 2: expires "2026-02-30" is not a date/.test(p)));
        assert.ok(problems.some((p) => /entry 3: unknown field "extra"/.test(p)));
    });

    it("marks active, expired and stale exemptions", () => {
        const expired: PolicyExemption = { ...EXEMPTION, resource: "redis", expires: "2026-06-14" };
        const stale: PolicyExemption = { ...EXEMPTION, resource: "nothing-like-this" };
        const { violations, stale: unused } = applyExemptions(
            [violation("urn:pulumi:dev::ai-platform::k8s:Deployment::ollama-gpu"), violation("urn:pulumi:dev::ai-platform::k8s:Deployment::redis"), violation("urn:pulumi:dev::ai-platform::k8s:Deployment::web")],
            [EXEMPTION, expired, stale],
            now,
        );
        assert.deepStrictEqual(violations.map((v) => v.exemption?.status), ["active", "expired", undefined]);
        assert.match(violations[1].message, /exemption by alice@example.com expired on 2026-06-14: a violation again/);
        assert.deepStrictEqual(unused, [stale]);
        assert.deepStrictEqual(exemptedPolicies(violations), [], "redis and web still block the policy");
        assert.deepStrictEqual(exemptedPolicies([violations[0]]), ["resource-limits/require-limits"]);
        // The last day holds until its end (UTC).
        assert.strictEqual(applyExemptions([violation("urn:x::ollama")], [{ ...EXEMPTION, expires: "2026-06-15" }], now).violations[0].exemption?.status, "active");
    });

    it("lets an actively exempted mandatory violation through, reports it, records it; an expired one stops the step", async () => {
        const dir = tempDir();
        const engine = new FakeEngine();
        engine.violations = () => [violation("urn:pulumi:dev::ai-platform::k8s:Deployment::ollama-gpu")];
        const lines: string[] = [];
        const passed = await runPromotion(engine, promotionOptions(dir, "dev", { exemptionsFor: () => [EXEMPTION, { ...EXEMPTION, policy: "encryption/x" }], log: (l) => lines.push(l), now: () => now }));
        assert.strictEqual(passed.exitCode, ExitCode.Success, passed.message);
        assert.match(lines.join("\n"), /policy MANDATORY resource-limits\/require-limits on .*ollama-gpu: no limits \[EXEMPTED until 2099-12-31 by alice@example.com: GPU sizing under review\]/);
        assert.match(lines.join("\n"), /exemption STALE: encryption\/x/);
        const record = readAudit(dir, "dev").filter((r) => r.result === "succeeded").pop()!;
        assert.deepStrictEqual(record.policyViolations[0].exemption, { status: "active", approver: "alice@example.com", expires: "2099-12-31", reason: "GPU sizing under review" });
        assert.deepStrictEqual(record.staleExemptions, [{ policy: "encryption/x", resource: "ollama*", expires: "2099-12-31" }]);
        assert.ok(engine.calls.includes("up dev 0"));

        const later = new Date("2100-01-02T00:00:00Z");
        const denied = await runPromotion(engine, promotionOptions(dir, "dev", { exemptionsFor: () => [EXEMPTION], now: () => later }));
        assert.strictEqual(denied.exitCode, ExitCode.PolicyViolation, denied.message);
        assert.match(readAudit(dir, "dev").pop()!.policyViolations[0].message ?? "", /expired on 2099-12-31: a violation again/);
    });

    it("reads exemptions from the stack file only", async () => {
        const run = await cli(["promote", "--stack", "dev", "--config", `policyExemptions=${JSON.stringify([EXEMPTION])}`, "--state-dir", tempStateDir()]);
        assert.strictEqual(run.code, ExitCode.BadInput);
        assert.match(run.text(), /exemptions cannot be added from the command line/);
    });
});

describe("SARIF and JUnit of a run", () => {
    let summary: PromotionSummary;

    before(async () => {
        const dir = tempDir();
        const engine = new FakeEngine();
        engine.violations = (req) => [
            { policyName: "kubernetes-container-limits-within-maxima", policyPackName: "resource-limits", enforcementLevel: "advisory", resourceUrn: `urn:pulumi:dev::ai-platform::k8s:Deployment::web-${req.tier}`, message: "limit above the maximum" },
            { policyName: "kubernetes-container-limits-within-maxima", policyPackName: "resource-limits", enforcementLevel: "mandatory", resourceUrn: "urn:pulumi:dev::ai-platform::k8s:Deployment::ollama-gpu", message: "limit <above> & \"max\"" },
        ];
        const exemption = { ...EXEMPTION, policy: "resource-limits/kubernetes-container-limits-within-maxima", resource: "ollama*" };
        summary = await runPromotion(engine, promotionOptions(dir, "dev", { request: { to: 2 }, exemptionsFor: () => [exemption], capsFor: (tier: Tier) => ({ monthlyCap: tier === 2 ? 100 : 5000, maxCostPerHour: 50 }) }));
        assert.strictEqual(summary.exitCode, ExitCode.OverCap, summary.message);
    });

    it("writes SARIF 2.1.0 that the published schema accepts, one result per violation and cost breach", () => {
        const log = sarifLog({ summary, stackFile: "Pulumi.dev.yaml", version: "0.1.0" });
        const schema = JSON.parse(fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
        // The schema's language pattern is not valid with the u flag; ajv then uses plain RegExp.
        const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
        const validate = ajv.compile(schema);
        assert.ok(validate(JSON.parse(JSON.stringify(log))), JSON.stringify(validate.errors, null, 2));
        assert.ok(!validate({ ...log, version: "2.0.0" }), "the schema is not vacuous: a wrong version fails it");
        assert.ok(!validate({ ...log, runs: [{ results: [] }] }), "a run without a tool fails it");
        const run = (log.runs as any[])[0];
        const results = run.results as any[];
        assert.strictEqual(results.filter((r) => r.ruleId === "resource-limits/kubernetes-container-limits-within-maxima").length, 6, "2 per step, 3 steps");
        assert.strictEqual(results.filter((r) => r.ruleId === "cost-gate/monthly-cap").length, 1);
        const suppressed = results.find((r) => r.suppressions);
        assert.deepStrictEqual(suppressed.suppressions[0].status, "accepted");
        assert.match(suppressed.suppressions[0].justification, /GPU sizing under review \(approved by alice@example.com, until 2099-12-31\)/);
        const rule = run.tool.driver.rules[results[0].ruleIndex];
        assert.strictEqual(rule.id, results[0].ruleId);
        assert.match(rule.fullDescription.text, /maxContainerCpu/);
        assert.strictEqual(rule.properties.severity, "medium");
        assert.ok(results.every((r) => r.properties.planDigest), "every result names its step's plan");
    });

    it("writes JUnit XML that a JUnit parser reads: one case per policy per step, failures for blocking results", async () => {
        const xml = junitXml(summary, new Date("2026-06-15T12:00:00Z"));
        const { parse } = await import("junit2json");
        const parsed: any = await parse(xml);
        assert.strictEqual(parsed.testsuite.length, 3);
        const [tier0, , tier2] = parsed.testsuite;
        const policies = (await import("../../policies/packs")).POLICY_PACKS.reduce((n, p) => n + p.policies.length, 0);
        assert.strictEqual(tier0.testcase.length, policies + 2, "every policy plus the two cost checks");
        const limits = tier0.testcase.find((c: any) => c.name === "kubernetes-container-limits-within-maxima");
        assert.strictEqual(limits.failure, undefined, "the mandatory result is exempted");
        assert.match(limits["system-out"][0], /exemption active/);
        assert.match(limits["system-out"][0], /limit <above> & "max"/);
        const cap = tier2.testcase.find((c: any) => c.name === "monthly-cap");
        assert.strictEqual(cap.failure.length, 1);
        assert.strictEqual(parsed.failures, 1);
    });

    it("the CLI writes both files for the whole run (--sarif, --junit)", async () => {
        const dir = tempStateDir();
        const out = tempStateDir();
        const engine = new FakeEngine();
        const run = await cli(["promote", "--stack", "dev", "--to", "1", "--sarif", path.join(out, "run.sarif"), "--junit", path.join(out, "run.xml"), "--state-dir", dir], { engine: () => engine });
        assert.strictEqual(run.code, ExitCode.Success, run.text());
        const sarif = JSON.parse(fs.readFileSync(path.join(out, "run.sarif"), "utf8"));
        assert.strictEqual(sarif.version, "2.1.0");
        const { parse } = await import("junit2json");
        const junit: any = await parse(fs.readFileSync(path.join(out, "run.xml"), "utf8"));
        assert.strictEqual(junit.testsuite.length, 2);
        assert.match(run.text(), /audit head: dev seq 3 sha256:[0-9a-f]{64}/);
    });
});
