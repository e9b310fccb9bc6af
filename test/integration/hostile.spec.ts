/**
 * Hostile and careless input, through the real CLI (a child process running dist/automation/main.js
 * with the offline engine on the shipped program): every case asserts the exit code, the message,
 * and that nothing the driver keeps was lost or corrupted (state, audit log, offline snapshot,
 * locks, temporary files). The numbers refer to the items of the hardening issue; cases marked
 * "beyond" are classes of input that issue did not list.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AuditRecord, headFile, inspectAudit, lineHash, readAudit } from "../../automation/audit/auditLog";
import { ExitCode } from "../../automation/exitCodes";
import { currentCode } from "../../automation/otp/totp";
import { StateStore } from "../../automation/state/stackState";
import { cliProcess, filesUnder, ROOT, tempStateDir } from "../automation/support/cliHarness";

const OFFLINE = ["--engine", "offline"];

interface Run {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    text: string;
}

function run(argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Run {
    const result = cliProcess(argv, { CI: "", ...env }, cwd);
    return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, text: `${result.stdout}\n${result.stderr}` };
}

function copyOf(dir: string): string {
    const copy = tempStateDir();
    fs.cpSync(dir, copy, { recursive: true });
    return copy;
}

/** A copy of the project's stack files and driver config, with some files replaced (null: removed). */
function tempProject(edits: Record<string, string | null> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-project-"));
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.airgap.yaml", "package.json", path.join("automation", "driver.config.json")]) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    for (const [file, text] of Object.entries(edits)) {
        if (text === null) fs.rmSync(path.join(dir, file), { force: true });
        else fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
}

const devFile = () => fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
const prodFile = () => fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");

/** Everything the driver keeps, to compare before and after a refused run. */
function snapshotOf(dir: string): Record<string, string> {
    return Object.fromEntries(filesUnder(dir).map((f) => [path.relative(dir, f.file), f.text]));
}

/** The same files, except that the audit logs may have grown by records appended at their end. */
function assertNothingLost(before: Record<string, string>, dir: string, allowNewFiles: RegExp = /^audit\//): void {
    const after = snapshotOf(dir);
    for (const [file, text] of Object.entries(before)) {
        assert.ok(file in after, `${file} was lost`);
        if (file.startsWith("audit/") && file.endsWith(".jsonl")) assert.ok(after[file].startsWith(text), `${file} was rewritten, not appended to`);
        else if (!(file.startsWith("audit/") && file.endsWith(".head.json"))) assert.strictEqual(after[file], text, `${file} changed`); // the head follows the appended records
    }
    for (const file of Object.keys(after)) {
        if (!(file in before)) assert.match(file, allowNewFiles, `unexpected new file ${file}`);
        assert.doesNotMatch(file, /\.tmp$/, `temporary file left behind: ${file}`);
    }
    assert.ok(!fs.existsSync(path.join(dir, "locks", "dev.lock")) && !fs.existsSync(path.join(dir, "locks", "prod.lock")), "a lock was left behind");
}

function lastRecord(dir: string, stack: string): AuditRecord {
    return readAudit(dir, stack).pop()!;
}

function seedOf(dir: string, stack: string): string {
    return fs.readFileSync(path.join(dir, "offline", stack, "otp-seed"), "utf8").trim();
}

function wrongCode(seed: string): string {
    const now = Date.now();
    const valid = new Set([-30_000, 0, 30_000, 60_000].map((d) => currentCode(seed, new Date(now + d))));
    return ["111111", "222222", "333333", "444444", "555555"].find((c) => !valid.has(c))!;
}

describe("hostile input through the real CLI (offline engine)", function () {
    this.timeout(900_000);
    let devAtTier2: string;

    before(() => {
        devAtTier2 = tempStateDir();
        const built = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", devAtTier2]);
        assert.strictEqual(built.code, ExitCode.Success, built.text);
    });

    describe("1. enforcement of an environment that requires mandatory policies", () => {
        it("refuses --config policyEnforcement=advisory on prod (exit 2), audited, nothing deployed", () => {
            const dir = copyOf(devAtTier2);
            const before = snapshotOf(dir);
            const r = run(["promote", "--stack", "prod", "--bootstrap-otp-gate", "--config", "policyEnforcement=advisory", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.BadInput, r.text);
            assert.match(r.stderr, /environment prod requires mandatory policy enforcement.*--config policyEnforcement=advisory would lower it/);
            const refusal = lastRecord(dir, "prod");
            assert.deepStrictEqual([refusal.result, refusal.refusal, refusal.configOverrides], ["refused", "enforcement", { policyEnforcement: "advisory" }]);
            assert.ok(!fs.existsSync(path.join(dir, "offline", "prod")), "no engine ran");
            assertNothingLost(before, dir);
        });

        it("refuses a stack-file edit that lowers prod's enforcement, and review refuses it too (exit 2)", () => {
            const project = tempProject({ "Pulumi.prod.yaml": prodFile().replace("policyEnforcement: mandatory", "policyEnforcement: advisory") });
            const dir = copyOf(devAtTier2);
            const r = run(["promote", "--stack", "prod", "--bootstrap-otp-gate", ...OFFLINE, "--state-dir", dir], { PROMOTION_PROJECT_DIR: project });
            assert.strictEqual(r.code, ExitCode.BadInput, r.text);
            assert.match(r.stderr, /policyEnforcement: advisory in Pulumi\.prod\.yaml would lower it/);
            const review = run(["review", "--stack", "prod", "--to", "0", ...OFFLINE, "--state-dir", dir], { PROMOTION_PROJECT_DIR: project });
            assert.strictEqual(review.code, ExitCode.BadInput, review.text);
        });

        it("records an allowed override (dev) in every audit record and shows it in the review report", () => {
            const dir = tempStateDir();
            const r = run(["promote", "--stack", "dev", "--config", "policyEnforcement=mandatory", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.Success, r.text);
            assert.match(r.text, /policy enforcement of this run is overridden on the command line: mandatory/);
            for (const record of readAudit(dir, "dev")) assert.deepStrictEqual(record.configOverrides, { policyEnforcement: "mandatory" });
            const report = fs.readFileSync(path.join(dir, "reports", "dev", "dev-tier0.md"), "utf8");
            assert.match(report, /Stack config overridden on the command line for this run:\*\* `policyEnforcement=mandatory`/);
            assert.match(report, /Policy enforcement itself is overridden/);
        });
    });

    describe("2. the driver's state is cross-checked, not trusted", () => {
        it("a deleted state file stops the run (exit 9) naming both tiers and the repair; repair-state rebuilds it", () => {
            const dir = copyOf(devAtTier2);
            fs.rmSync(path.join(dir, "stacks", "dev.json"));
            const before = snapshotOf(dir);
            const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
            assert.match(r.stderr, /state file \(missing: .*dev\.json\) says never deployed, the audit log says tier 2/);
            assert.match(r.stderr, /repair-state --stack dev/);
            assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, "offline", "dev", "snapshot.json"), "utf8")).tier, 2, "tier 0 was not redeployed");
            assert.deepStrictEqual([lastRecord(dir, "dev").result, lastRecord(dir, "dev").refusal], ["refused", "state-conflict"]);
            assertNothingLost(before, dir);
            const repaired = run(["repair-state", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(repaired.code, ExitCode.Success, repaired.text);
            assert.strictEqual(new StateStore(dir).read("dev").tier, 2);
            assert.strictEqual(lastRecord(dir, "dev").event, "state-repaired");
        });

        it("valid JSON of another shape ([]) is refused (exit 9), not read as never deployed", () => {
            const dir = copyOf(devAtTier2);
            fs.writeFileSync(path.join(dir, "stacks", "dev.json"), "[]");
            const before = snapshotOf(dir);
            const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
            assert.match(r.stderr, /is not a state of stack dev: the document is a list/);
            assert.doesNotMatch(r.stderr, /remove it/);
            assertNothingLost(before, dir);
        });

        it("an OTP lockout survives the loss of the state file, and repair-state restores it", () => {
            const dir = copyOf(devAtTier2);
            const wrong = wrongCode(seedOf(dir, "dev"));
            for (let i = 0; i < 5; i++) {
                const r = run(["promote", "--stack", "dev", "--otp", wrong, ...OFFLINE, "--state-dir", dir]);
                assert.strictEqual(r.code, ExitCode.OtpRefused, r.text);
            }
            assert.ok(lastRecord(dir, "dev").otpLockedUntil, "the lockout is in the audit log");
            fs.rmSync(path.join(dir, "stacks", "dev.json"));
            const locked = run(["promote", "--stack", "dev", "--otp", currentCode(seedOf(dir, "dev")), ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(locked.code, ExitCode.OtpRefused, locked.text);
            assert.match(locked.stderr, /locked until/);
            assert.deepStrictEqual([lastRecord(dir, "dev").result, lastRecord(dir, "dev").refusal], ["refused", "otp-lockout"]);
            assert.strictEqual(run(["repair-state", "--stack", "dev", ...OFFLINE, "--state-dir", dir]).code, ExitCode.Success);
            assert.ok(new StateStore(dir).read("dev").otp.lockedUntil, "repair-state restores the lockout");
        });

        it("an engine whose deployed tier differs from the records stops the run (exit 9) naming both", () => {
            const dir = copyOf(devAtTier2);
            const file = path.join(dir, "offline", "dev", "snapshot.json");
            fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), tier: 1 }));
            const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
            assert.match(r.stderr, /state file and audit log say tier 2, the engine's deployed stack is at tier 1/);
            assert.match(r.stderr, /--adopt-engine-tier/);
        });
    });

    describe("3. a torn last audit line", () => {
        it("is set aside, reported and recorded; the next record starts on a fresh line; no false interrupted record", () => {
            const dir = copyOf(devAtTier2);
            const file = path.join(dir, "audit", "dev.jsonl");
            const text = fs.readFileSync(file, "utf8");
            const lines = text.trimEnd().split("\n");
            const last = lines.pop()!; // the final "succeeded" line of the step 1 -> 2
            fs.writeFileSync(file, [...lines, ""].join("\n") + last.slice(0, Math.floor(last.length / 2)));
            // A crash in the middle of an append comes before the head moves: it still names the line before.
            fs.writeFileSync(headFile(dir, "dev"), JSON.stringify({ seq: lines.length - 1, hash: lineHash(lines[lines.length - 1]) }));
            const r = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.Success, r.text);
            assert.match(r.text, /ended in a torn line .* kept aside in .*dev\.torn-/);
            const contents = inspectAudit(dir, "dev");
            assert.strictEqual(contents.torn, undefined);
            assert.deepStrictEqual(contents.badLines, [], "no record was glued to the fragment");
            const records = contents.records;
            assert.ok(records.some((x) => x.event === "audit-tail-repaired"));
            assert.ok(!records.some((x) => x.result === "interrupted"), "the step succeeded: no interrupted record");
            assert.ok(records.some((x) => x.result === "succeeded" && x.toTier === 2 && /restored from the state/.test(x.message ?? "")));
            const keptAside = fs.readdirSync(path.join(dir, "audit")).find((f) => f.startsWith("dev.torn-"))!;
            assert.strictEqual(fs.readFileSync(path.join(dir, "audit", keptAside), "utf8"), last.slice(0, Math.floor(last.length / 2)));
            const history = run(["history", "--stack", "dev", "--state-dir", dir]);
            assert.strictEqual(history.code, ExitCode.Success, history.text);
        });
    });

    describe("4. typos that silently change money", () => {
        const cases: [string, string, RegExp][] = [
            ["a namespace typo", devFile() + "  ai-platfrom:monthlyCostCap: 100\n", /namespace "ai-platfrom" .*did you mean "ai-platform:monthlyCostCap"/],
            ["an empty stack file", "", /Pulumi\.dev\.yaml is empty/],
            ["config: as a list", "config:\n  - ai-platform:tier: 0\n", /"config:" must be a mapping .* not a list/],
            ["tier: 7 in the stack file", devFile().replace("ai-platform:tier: 0", "ai-platform:tier: 7"), /ai-platform:tier = "7": unknown tier/],
            ["a hexadecimal cap", devFile().replace("monthlyCostCap: 2500", "monthlyCostCap: 0x10"), /monthlyCostCap = "0x10": must be a decimal number/],
            ["an infinite cap", devFile().replace("monthlyCostCap: 2500", "monthlyCostCap: .inf"), /monthlyCostCap = "\.inf": must be a decimal number/],
            ["maxNodes 1e20", devFile() + "  ai-platform:maxNodes: 1e20\n", /maxNodes = "1e20": must be a whole number 1\.\.1000 \(decimal digits only\)/],
            ["a YAML syntax error", devFile() + "  ai-platform:domain: [unclosed\n", /Pulumi\.dev\.yaml: not valid YAML \(line \d+, column \d+\)/],
            ["an unknown aws key", devFile() + "  aws:regoin: us-west-2\n", /aws:regoin is not an AWS provider key .*did you mean "aws:region"/],
            ["a top-level typo", devFile() + "confg:\n  x: 1\n", /top-level key "confg" .*did you mean "config"/],
        ];
        for (const [what, text, message] of cases) {
            it(`refuses ${what} (exit 2) before any engine, naming the file`, () => {
                const project = tempProject({ "Pulumi.dev.yaml": text });
                const dir = tempStateDir();
                const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir], { PROMOTION_PROJECT_DIR: project });
                assert.strictEqual(r.code, ExitCode.BadInput, r.text);
                assert.match(r.stderr, message);
                assert.ok(!fs.existsSync(path.join(dir, "offline")), "no engine ran");
                assert.strictEqual(new StateStore(dir).exists("dev"), false);
            });
        }

        it("refuses a hexadecimal or exponent number from --config too (exit 2)", () => {
            for (const value of ["0x10", "1e3", "Infinity"]) {
                const r = run(["promote", "--stack", "dev", "--config", `monthlyCostCap=${value}`, ...OFFLINE, "--state-dir", tempStateDir()]);
                assert.strictEqual(r.code, ExitCode.BadInput, r.text);
                assert.match(r.stderr, new RegExp(`monthlyCostCap = "${value}": must be a decimal number`));
            }
        });
    });

    describe("5. catalog errors before any engine", () => {
        const catalog = (services: string) => `name: mine\nservices:\n${services}`;
        const cases: [string, string, RegExp][] = [
            ["services: [null]", "name: mine\nservices: [null]\n", /services\[0\]: is null, expected a service mapping/],
            ["a service without limits", catalog("  - name: web\n    image: web:1\n    ports: [80]\n    resources:\n      requests: { cpu: 100m, memory: 64Mi }\n"), /service "web": resources\.limits is missing/],
            ["limits below requests", catalog("  - name: web\n    image: web:1\n    ports: [80]\n    resources:\n      requests: { cpu: 2, memory: 64Mi }\n      limits: { cpu: 1, memory: 64Mi }\n"), /cpu request 2 exceeds limit 1/],
        ];
        for (const [what, text, message] of cases) {
            it(`refuses ${what} (exit 2) naming catalogFile and the file`, () => {
                const project = tempProject({ "mine.yaml": text, "Pulumi.dev.yaml": devFile() + "  ai-platform:catalogFile: mine.yaml\n" });
                const dir = tempStateDir();
                const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir], { PROMOTION_PROJECT_DIR: project });
                assert.strictEqual(r.code, ExitCode.BadInput, r.text);
                assert.match(r.stderr, /ai-platform:catalogFile = "mine\.yaml": .*mine\.yaml/);
                assert.match(r.stderr, message);
                assert.doesNotMatch(r.text, /TypeError/);
                assert.ok(!fs.existsSync(path.join(dir, "offline")), "no engine ran");
                assert.ok(!readAudit(dir, "dev").some((x) => x.result === "failed"), "no failed record");
            });
        }
    });

    describe("6. paths on the command line", () => {
        it("resolves a relative --state-dir against the working directory, and git never stages the seed", () => {
            const repo = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-git-"));
            execFileSync("git", ["init", "-q", repo]);
            const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", "rel-state"], {}, repo);
            assert.strictEqual(r.code, ExitCode.Success, r.text);
            assert.ok(fs.existsSync(path.join(repo, "rel-state", "offline", "dev", "otp-seed")), "state under the working directory");
            assert.ok(!fs.existsSync(path.join(ROOT, "rel-state")), "nothing under the repository root");
            execFileSync("git", ["-C", repo, "add", "-A"]);
            const staged = execFileSync("git", ["-C", repo, "diff", "--cached", "--name-only"], { encoding: "utf8" });
            assert.strictEqual(staged.trim(), "", `git staged: ${staged}`);
        });
    });

    describe("7. every refusal is an audit record", () => {
        it("records a refusal by the promotion rules (prod before dev, a skipped tier)", () => {
            const dir = tempStateDir();
            const prod = run(["promote", "--stack", "prod", "--otp", "123456", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(prod.code, ExitCode.OrderRefused, prod.text);
            assert.deepStrictEqual([lastRecord(dir, "prod").result, lastRecord(dir, "prod").refusal], ["refused", "order"]);
            const skip = run(["promote", "--stack", "dev", "--to", "2", "--no-walk", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(skip.code, ExitCode.OrderRefused, skip.text);
            assert.deepStrictEqual([lastRecord(dir, "dev").refusal, lastRecord(dir, "dev").toTier], ["skip", 2]);
        });
    });

    describe("8. file system faults", () => {
        it("a state dir whose parent is a file: exit 9, a clear message, no trace", () => {
            const file = path.join(tempStateDir(), "plain-file");
            fs.writeFileSync(file, "x");
            const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", path.join(file, "state")]);
            assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
            assert.match(r.stderr, /cannot create the directory .*a part of the path is a file/);
            assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
        });

        it("a full disk: exit 9, no *.tmp and no lock left, the next run is not blocked", function () {
            const mount = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-full-"));
            try {
                execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount], { stdio: "ignore" });
            } catch {
                this.skip(); // needs root and tmpfs: the message test above covers the reporting path
            }
            try {
                const dir = path.join(mount, "state");
                fs.cpSync(devAtTier2, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}reports`) });
                spawnSync("dd", ["if=/dev/zero", `of=${path.join(mount, "filler")}`, "bs=4k", "count=2000"], { stdio: "ignore" }); // fills the rest (dd ends with ENOSPC)
                const r = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
                assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
                assert.match(r.stderr, /no space left on the device \(ENOSPC\)/);
                assert.doesNotMatch(r.stderr, /\n\s+at /);
                assert.deepStrictEqual(filesUnder(dir).filter((f) => f.file.endsWith(".tmp")), []);
                assert.ok(!fs.existsSync(path.join(dir, "locks", "dev.lock")), "no lock left behind");
                fs.rmSync(path.join(mount, "filler"));
                const next = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
                assert.strictEqual(next.code, ExitCode.Success, next.text);
            } finally {
                execFileSync("umount", [mount], { stdio: "ignore" });
            }
        });

        it("a read-only state dir: exit 9 naming EROFS, no trace, nothing changed", function () {
            const mount = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-ro-"));
            try {
                execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount], { stdio: "ignore" });
            } catch {
                this.skip(); // needs root and tmpfs
            }
            try {
                const dir = path.join(mount, "state");
                fs.cpSync(devAtTier2, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}reports`) });
                execFileSync("mount", ["-o", "remount,ro", mount], { stdio: "ignore" });
                const before = snapshotOf(dir);
                const r = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
                assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
                assert.match(r.stderr, /read-only file system \(EROFS\)/);
                assert.doesNotMatch(r.stderr, /\n\s+at /);
                assert.deepStrictEqual(snapshotOf(dir), before);
            } finally {
                execFileSync("umount", [mount], { stdio: "ignore" });
            }
        });

        it("an empty lock file (from a crash) does not block the next run", () => {
            const dir = copyOf(devAtTier2);
            fs.mkdirSync(path.join(dir, "locks"), { recursive: true });
            fs.writeFileSync(path.join(dir, "locks", "dev.lock"), "");
            const r = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.Success, r.text);
            assert.doesNotMatch(r.text, /locked by another promotion/);
        });

        it("a state file that cannot be read (not corrupt) is not to be removed: exit 9", () => {
            const dir = copyOf(devAtTier2);
            const file = path.join(dir, "stacks", "dev.json");
            fs.rmSync(file);
            fs.mkdirSync(file); // EISDIR: readable neither as root nor as anyone
            const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
            assert.match(r.stderr, /cannot read .*dev\.json: is a directory/);
            assert.doesNotMatch(r.stderr, /remove it to start over/);
        });

        it("a state dir or --out under /proc is refused at once (exit 2)", () => {
            const started = Date.now();
            const state = run(["status", "--state-dir", "/proc/self/state"]);
            assert.strictEqual(state.code, ExitCode.BadInput, state.text);
            assert.match(state.stderr, /inside \/proc, a kernel pseudo file system/);
            const out = run(["review", "--stack", "dev", "--to", "0", "--out", "/proc/1/x", ...OFFLINE, "--state-dir", tempStateDir()]);
            assert.strictEqual(out.code, ExitCode.BadInput, out.text);
            assert.ok(Date.now() - started < 30_000, "no hang");
        });

        it("leftover *.tmp files of dead runs are removed (beyond)", () => {
            const dir = copyOf(devAtTier2);
            fs.writeFileSync(path.join(dir, "stacks", "dev.json.999999.tmp"), "{");
            const r = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.Success, r.text);
            assert.ok(!fs.existsSync(path.join(dir, "stacks", "dev.json.999999.tmp")));
        });
    });

    describe("9. an interrupted rollback", () => {
        it("is retried by the next promote, not skipped for a step up", () => {
            const dir = copyOf(devAtTier2);
            const crashed = run(["promote", "--stack", "dev", "--rollback", ...OFFLINE, "--state-dir", dir], { PROMOTION_CRASH_DURING_UP: "1" });
            assert.strictEqual(crashed.signal, "SIGKILL", crashed.text);
            const next = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(next.code, ExitCode.Success, next.text);
            assert.match(next.text, /retry the unfinished rollback of dev from tier 2 to tier 1/);
            assert.strictEqual(new StateStore(dir).read("dev").tier, 1);
            assert.deepStrictEqual(readAudit(dir, "dev").filter((x) => x.result === "rolled-back").map((x) => x.toTier), [1]);
        });
    });

    describe("10. state fields are validated", () => {
        const bad: [string, (s: any) => void, RegExp][] = [
            ["tier: 9", (s) => (s.tier = 9), /tier is 9: a tier is null .* or the number 0, 1, 2 or 3/],
            ['tier: "3"', (s) => (s.tier = "3"), /tier is "3"/],
            ["otp: null", (s) => (s.otp = null), /otp is null, expected an object/],
        ];
        for (const [what, change, message] of bad) {
            it(`${what}: promote exits 9 naming the field; status shows every other stack and exits 9`, () => {
                const dir = copyOf(devAtTier2);
                const file = path.join(dir, "stacks", "dev.json");
                const state = JSON.parse(fs.readFileSync(file, "utf8"));
                change(state);
                fs.writeFileSync(file, JSON.stringify(state));
                const before = snapshotOf(dir);
                const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
                assert.strictEqual(r.code, ExitCode.StateProblem, r.text);
                assert.match(r.stderr, message);
                assert.doesNotMatch(r.text, /TypeError/);
                assertNothingLost(before, dir);
                const status = run(["status", "--json", "--state-dir", dir]);
                assert.strictEqual(status.code, ExitCode.StateProblem, status.text);
                const stacks = JSON.parse(status.stdout).stacks;
                assert.ok(stacks.find((s: any) => s.stack === "dev").unusable);
                assert.ok(stacks.find((s: any) => s.stack === "prod" && !s.unusable), "prod still shows");
            });
        }
    });

    describe("11. OTP and order follow the declared environment", () => {
        it("a copy of Pulumi.prod.yaml under another name needs dev first and an OTP code", () => {
            const project = tempProject({ "Pulumi.prodcopy.yaml": prodFile() });
            const fresh = run(["promote", "--stack", "prodcopy", "--to", "2", "--bootstrap-otp-gate", ...OFFLINE, "--state-dir", tempStateDir()], { PROMOTION_PROJECT_DIR: project });
            assert.strictEqual(fresh.code, ExitCode.OrderRefused, fresh.text);
            assert.match(fresh.stderr, /stack prodcopy \(environment prod\) may reach tier 0 only after dev/);
            const dir = copyOf(devAtTier2);
            const noCode = run(["promote", "--stack", "prodcopy", ...OFFLINE, "--state-dir", dir], { PROMOTION_PROJECT_DIR: project });
            assert.strictEqual(noCode.code, ExitCode.OtpRefused, noCode.text);
            assert.match(noCode.stderr, /bootstrap-otp-gate/);
        });

        it("prod's stack file cannot declare another environment (exit 2)", () => {
            const project = tempProject({ "Pulumi.prod.yaml": prodFile().replace("environment: prod", "environment: dev") });
            const r = run(["promote", "--stack", "prod", ...OFFLINE, "--state-dir", copyOf(devAtTier2)], { PROMOTION_PROJECT_DIR: project });
            assert.strictEqual(r.code, ExitCode.BadInput, r.text);
            assert.match(r.stderr, /a stack named after an environment must be that environment/);
        });
    });

    describe("12. smaller ones", () => {
        it("refuses a repeated flag (exit 2)", () => {
            const r = run(["promote", "--stack", "dev", "--to", "1", "--to", "2", "--state-dir", tempStateDir()]);
            assert.strictEqual(r.code, ExitCode.BadInput, r.text);
            assert.match(r.stderr, /--to is given 2 times \("1", "2"\): give it once/);
            const config = run(["promote", "--stack", "dev", "--config", "maxNodes=5", "--config", "maxNodes=6", "--state-dir", tempStateDir()]);
            assert.strictEqual(config.code, ExitCode.BadInput, config.text);
        });

        it("status | head prints no EPIPE trace", () => {
            const main = path.join(ROOT, "dist", "automation", "main.js");
            const r = spawnSync("bash", ["-c", `"${process.execPath}" "${main}" status --state-dir "${devAtTier2}" | head -1`], { encoding: "utf8", env: { ...process.env, CI: "" } });
            assert.strictEqual(r.status, 0);
            assert.doesNotMatch(r.stderr, /EPIPE|at /);
        });

        it("otp-code for a stack without a stack file says so (exit 2)", () => {
            const r = run(["otp-code", "--stack", "nosuch", ...OFFLINE, "--state-dir", tempStateDir()]);
            assert.strictEqual(r.code, ExitCode.BadInput, r.text);
            assert.match(r.stderr, /has no config file .*Pulumi\.nosuch\.yaml/);
        });

        it("states the stack-name length limit", () => {
            const p = run(["promote", "--stack", "x".repeat(101), "--state-dir", tempStateDir()]);
            assert.strictEqual(p.code, ExitCode.BadInput, p.text);
            assert.match(p.stderr, /use 1 to 100 characters/);
        });
    });

    describe("beyond the twelve", () => {
        it("refuses an environment from the command line and lowered enforcement in policy-config (exit 2)", () => {
            const r = run(["promote", "--stack", "prod", "--config", "environment=dev", "--state-dir", tempStateDir()]);
            assert.strictEqual(r.code, ExitCode.BadInput, r.text);
            assert.match(r.stderr, /environment .* comes from its stack file only/);
            const p = run(["policy-config", "--stack", "prod", "--config", "policyEnforcement=advisory", "--out", tempStateDir(), "--state-dir", tempStateDir()]);
            assert.strictEqual(p.code, ExitCode.BadInput, p.text);
            assert.match(p.stderr, /requires mandatory policy enforcement/);
        });

        it("refuses exemptions from the command line and path-like stack names (exit 2)", () => {
            const ex = run(["promote", "--stack", "dev", "--config", 'policyExemptions=[{"policy":"x"}]', "--state-dir", tempStateDir()]);
            assert.strictEqual(ex.code, ExitCode.BadInput, ex.text);
            assert.match(ex.stderr, /exemptions cannot be added from the command line/);
            for (const stack of ["../dev", "dev/..", ".hidden", "dev x", "dév"]) {
                const r = run(["promote", "--stack", stack, "--state-dir", tempStateDir()]);
                assert.strictEqual(r.code, ExitCode.BadInput, `${stack}: ${r.text}`);
            }
        });

        it("a lock held by a live process refuses (exit 7) and leaves the holder's lock alone", () => {
            const dir = copyOf(devAtTier2);
            fs.mkdirSync(path.join(dir, "locks"), { recursive: true });
            const holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command: "test" };
            fs.writeFileSync(path.join(dir, "locks", "dev.lock"), JSON.stringify(holder));
            const r = run(["promote", "--stack", "dev", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.Locked, r.text);
            assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, "locks", "dev.lock"), "utf8")), holder);
        });

        it("garbage in a stale lock file is taken over", () => {
            const dir = copyOf(devAtTier2);
            fs.mkdirSync(path.join(dir, "locks"), { recursive: true });
            fs.writeFileSync(path.join(dir, "locks", "dev.lock"), "\u0000\u0001not json");
            const r = run(["promote", "--stack", "dev", "--to", "2", ...OFFLINE, "--state-dir", dir]);
            assert.strictEqual(r.code, ExitCode.Success, r.text);
        });

        it("no artefact of the suite's runs holds the OTP seed outside the offline secret store", () => {
            const seed = seedOf(devAtTier2, "dev");
            for (const { file, text } of filesUnder(devAtTier2)) {
                if (file.includes(`${path.sep}offline${path.sep}`)) continue;
                assert.ok(!text.includes(seed), `seed in ${file}`);
            }
        });
    });
});
