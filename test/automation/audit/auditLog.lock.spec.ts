import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { appendAudit, AuditRecord, auditFile, openSteps, readAudit } from "../../../automation/audit/auditLog";
import { currentActor } from "../../../automation/audit/actor";
import { ExitCode } from "../../../automation/exitCodes";
import { acquireStackLock, lockFile } from "../../../automation/state/lock";
import { StateStore } from "../../../automation/state/stackState";

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "promotion-test-"));
}

function record(stepId: string, result: AuditRecord["result"]): AuditRecord {
    return {
        time: new Date().toISOString(), stack: "dev", stepId, actor: "tester", kind: "promote",
        fromTier: 0, toTier: 1, engine: "offline", result, policyViolations: [], otpVerified: false,
    };
}

describe("audit log", () => {
    it("appends one JSON line per record and never rewrites earlier lines", () => {
        const dir = tempDir();
        appendAudit(dir, record("a", "in-progress"));
        const before = fs.readFileSync(auditFile(dir, "dev"), "utf8");
        appendAudit(dir, record("a", "succeeded"));
        const after = fs.readFileSync(auditFile(dir, "dev"), "utf8");
        assert.ok(after.startsWith(before));
        assert.strictEqual(after.trim().split("\n").length, 2);
        assert.deepStrictEqual(readAudit(dir, "dev").map((r) => r.result), ["in-progress", "succeeded"]);
    });

    it("finds in-progress records without a final record", () => {
        const records = [record("a", "in-progress"), record("a", "succeeded"), record("b", "in-progress")];
        assert.deepStrictEqual(openSteps(records).map((r) => r.stepId), ["b"]);
    });

    it("skips a torn last line left by a crash", () => {
        const dir = tempDir();
        appendAudit(dir, record("a", "in-progress"));
        fs.appendFileSync(auditFile(dir, "dev"), '{"time":"2026-');
        assert.strictEqual(readAudit(dir, "dev").length, 1);
    });

    it("takes the actor from PROMOTION_ACTOR, then the CI user", () => {
        assert.strictEqual(currentActor({ PROMOTION_ACTOR: "alice" }), "alice");
        assert.strictEqual(currentActor({ GITHUB_ACTOR: "bob" }), "github:bob");
        assert.ok(currentActor({}).length > 0);
    });
});

describe("state store", () => {
    it("round-trips a stack's state and refuses names that leave the directory", () => {
        const store = new StateStore(tempDir());
        assert.strictEqual(store.read("dev").tier, null);
        store.update("dev", (s) => (s.tier = 2));
        assert.strictEqual(store.read("dev").tier, 2);
        assert.deepStrictEqual(store.stacks(), ["dev"]);
        assert.throws(() => store.read("../etc"), (e: any) => e.exitCode === ExitCode.BadInput && /not a valid stack name/.test(e.message));
    });
});

describe("stack lock", () => {
    it("refuses a second promotion of the same stack, naming the holder", () => {
        const dir = tempDir();
        const first = acquireStackLock(dir, "dev", "promote --stack dev");
        assert.throws(
            () => acquireStackLock(dir, "dev", "promote --stack dev"),
            (e: any) => e.exitCode === ExitCode.Locked && e.message.includes(`pid ${process.pid}`) && e.message.includes(first.holder.since),
        );
        // Another stack is independent.
        acquireStackLock(dir, "prod", "promote").release();
        first.release();
        acquireStackLock(dir, "dev", "again").release();
        assert.ok(!fs.existsSync(lockFile(dir, "dev")));
    });

    it("takes over a stale lock of a dead process", async () => {
        const dir = tempDir();
        const child = spawn(process.execPath, ["-e", "0"]);
        const deadPid: number = await new Promise((resolve) => child.on("exit", () => resolve(child.pid!)));
        fs.mkdirSync(path.dirname(lockFile(dir, "dev")), { recursive: true });
        fs.writeFileSync(lockFile(dir, "dev"), JSON.stringify({ pid: deadPid, host: os.hostname(), since: "2026-01-01T00:00:00.000Z", command: "promote" }));
        const lock = acquireStackLock(dir, "dev", "promote");
        assert.strictEqual(lock.tookOverFrom?.pid, deadPid);
        assert.strictEqual(JSON.parse(fs.readFileSync(lockFile(dir, "dev"), "utf8")).pid, process.pid);
        lock.release();
    });
});
