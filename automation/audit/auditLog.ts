/**
 * Append-only audit log, one JSON line per event: `<state-dir>/audit/<stack>.jsonl`.
 * Every step writes an "in-progress" line before `up` and exactly one final line with the
 * same stepId afterwards (or, after a crash, an "interrupted" line written by the next run).
 * Lines are only ever appended (O_APPEND), each on a line of its own: a torn last line (a crash
 * in the middle of an append) is detected, set aside into a file of its own and recorded before
 * the next append. Nothing secret goes in: no seed, no code, no secret output.
 */
import { createHash, randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Tier } from "../../contract/catalog";
import { EngineName } from "../engines/engine";
import { guarded, readTextIfExists, writeFileAtomic } from "../state/safeFs";
import { assertStackName, StepKind, StepResult } from "../state/stackState";

export interface AuditViolation {
    name: string;
    pack: string;
    level: string;
    urn?: string;
    /** The policy's message (scrubbed of known secrets). */
    message?: string;
    /** The exemption that covers it: active (not blocking) or expired (a violation again). */
    exemption?: { status: "active" | "expired"; approver: string; expires: string; reason: string };
}

export interface AuditCost {
    monthlyExpected: number;
    monthlyWorstCase: number;
    hourlyWorstCase: number;
    monthlyCap: number;
    maxCostPerHour: number;
    /** monthlyExpected / monthlyCap. */
    capUtilisation: number;
    /** Resources the cost model could not price (absent when none): the figures are lower bounds. */
    unpriced?: number;
}

/** Why the driver refused a request before any step ran (every refusal is an audit record). */
export type RefusalKind =
    | "otp-lockout"
    | "order"
    | "skip"
    | "rollback"
    | "downward"
    | "bad-input"
    | "enforcement"
    | "state-conflict"
    | "audit-chain"
    | "plan-changed";

/** Events of the driver's own bookkeeping, recorded like steps. */
export type MaintenanceEvent = "audit-tail-repaired" | "state-repaired" | "chain-acknowledged";

export interface AuditRecord {
    time: string;
    stack: string;
    /** The step's id; for a refusal or a maintenance event, the id of that event. */
    stepId: string;
    actor: string;
    /** "maintenance" for the driver's bookkeeping (a repaired tail, a rebuilt state). */
    kind: StepKind | "maintenance";
    fromTier: Tier | null;
    /** Tier the step goes to; null for a refusal without a target or a maintenance event. */
    toTier: Tier | null;
    engine: EngineName;
    result: StepResult | "in-progress" | "refused" | "recorded";
    /** Set on refusals. */
    refusal?: RefusalKind;
    /** Set on maintenance records. */
    event?: MaintenanceEvent;
    policyViolations: AuditViolation[];
    cost?: AuditCost;
    otpVerified: boolean;
    /**
     * Set when the step's OTP approval is the code verified by an earlier step of the same run
     * (that step's stepId): one verified code approves the OTP-gated steps of one run.
     */
    otpApprovedInStep?: string;
    /** Set on the refusal that started an OTP lockout: the lockout survives the loss of the state file. */
    otpLockedUntil?: string;
    /** `--config` overrides of the run (never secrets: the driver refuses secret keys there). */
    configOverrides?: Record<string, string>;
    /** Why a step stopped or failed; for an interrupted step, when it had started. */
    message?: string;
    /** The target's preflight and verification (Kubernetes targets): passed or not, and the problems found. */
    target?: AuditTarget;
    /** Choices that changed how the step ran (e.g. a skipped preflight, a drift overwrite). */
    notes?: string[];
    /** Digest of the previewed plan the step applies (see promotion/planDigest.ts). */
    planDigest?: string;
    /** The digest the approver approved (`--approve-plan`), when one was given. */
    approvedPlan?: string;
    /** Exemptions of the stack that matched no violation of the step (stale). */
    staleExemptions?: { policy: string; resource: string; expires: string }[];
    /** Breaks of the hash chain a `chain-acknowledged` record accepts (position and kind). */
    acknowledged?: { line: number; seq: number; kind: ChainBreakKind }[];
    /** Position of the record in the stack's log, from 0 (written by appendAudit). */
    seq?: number;
    /**
     * SHA-256 of the previous record's line, or for the first record of a stack the genesis hash
     * of `chain` (written by appendAudit): an edited, removed or reordered record breaks the chain.
     */
    prev?: string;
    /** On the first record only: what the genesis hash covers. */
    chain?: { stack: string; createdAt: string };
}

export interface AuditTarget {
    preflight?: { ok: boolean; problems: string[] };
    verification?: { ok: boolean; problems: string[] };
}

export function auditFile(stateDir: string, stack: string): string {
    assertStackName(stack);
    return path.join(stateDir, "audit", `${stack}.jsonl`);
}

/** A last line without its newline: a crash in the middle of an append. */
export interface TornTail {
    /** Byte offset where the torn line starts. */
    offset: number;
    bytes: number;
}

/** A line that is not a JSON record (1-based line number). */
export interface BadLine {
    line: number;
    text: string;
}

export interface AuditContents {
    records: AuditRecord[];
    /** Line number (1-based) of each record. */
    lines: number[];
    /** The exact text of each record's line. */
    texts: string[];
    torn?: TornTail;
    badLines: BadLine[];
}

/** Every record of the stack's log, and what is wrong with the file: a torn tail, lines that are not records. */
export function inspectAudit(stateDir: string, stack: string): AuditContents {
    const file = auditFile(stateDir, stack);
    const raw = readTextIfExists(file, "audit log");
    const contents: AuditContents = { records: [], lines: [], texts: [], badLines: [] };
    if (raw === undefined || raw === "") return contents;
    let text = raw;
    if (!raw.endsWith("\n")) {
        const offset = raw.lastIndexOf("\n") + 1;
        contents.torn = { offset: Buffer.byteLength(raw.slice(0, offset)), bytes: Buffer.byteLength(raw.slice(offset)) };
        text = raw.slice(0, offset);
    }
    text.split("\n").forEach((line, i) => {
        if (line === "") return;
        try {
            const record = JSON.parse(line) as AuditRecord;
            if (!record || typeof record !== "object" || typeof record.stepId !== "string" || typeof record.result !== "string") throw new Error("not a record");
            contents.records.push(record);
            contents.lines.push(i + 1);
            contents.texts.push(line);
        } catch {
            contents.badLines.push({ line: i + 1, text: line.length > 120 ? `${line.slice(0, 120)}...` : line });
        }
    });
    return contents;
}

/** What a repair of a torn tail did. */
export interface TailRepair {
    bytes: number;
    keptIn: string;
}

/**
 * Moves a torn last line (a crash in the middle of an append) out of the log into
 * `audit/<stack>.torn-<time>.txt`, so the next record starts on a fresh line and nothing is
 * merged with the fragment. Undefined when the tail is whole.
 */
export function repairTornTail(stateDir: string, stack: string, now: Date = new Date()): TailRepair | undefined {
    const file = auditFile(stateDir, stack);
    const { torn } = inspectAudit(stateDir, stack);
    if (!torn) return undefined;
    const keptIn = path.join(path.dirname(file), `${stack}.torn-${now.toISOString().replace(/[:.]/g, "-")}.txt`);
    guarded("set aside the torn tail of", file, () => {
        const fd = fs.openSync(file, "r+");
        try {
            const fragment = Buffer.alloc(torn.bytes);
            fs.readSync(fd, fragment, 0, torn.bytes, torn.offset);
            fs.writeFileSync(keptIn, fragment, { mode: 0o600 });
            fs.ftruncateSync(fd, torn.offset);
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
    });
    return { bytes: torn.bytes, keptIn };
}

/** The maintenance record of a repaired tail. */
export function tailRepairRecord(stack: string, repair: TailRepair, actor: string, time: string): AuditRecord {
    return {
        time,
        stack,
        stepId: randomUUID(),
        actor,
        kind: "maintenance",
        fromTier: null,
        toTier: null,
        engine: "offline",
        result: "recorded",
        event: "audit-tail-repaired",
        policyViolations: [],
        otpVerified: false,
        message: `the log ended in a torn line of ${repair.bytes} byte(s) (a crash in the middle of an append); it was moved to ${repair.keptIn} and is not part of the log`,
    };
}

/**
 * Appends one record on a line of its own. A torn tail left by a crash is set aside first (and
 * recorded), so a record is never glued to a fragment.
 */
export function appendAudit(stateDir: string, record: AuditRecord): void {
    const file = auditFile(stateDir, record.stack);
    const repair = repairTornTail(stateDir, record.stack);
    if (repair) writeLine(stateDir, file, tailRepairRecord(record.stack, repair, record.actor, record.time));
    writeLine(stateDir, file, record);
}

/** SHA-256 of a record's line (its exact text, without the newline), as `sha256:<hex>`. */
export function lineHash(line: string): string {
    return `sha256:${createHash("sha256").update(line, "utf8").digest("hex")}`;
}

/** The hash the first record of a stack's log points to: it binds the log to its stack and its creation. */
export function genesisHash(chain: { stack: string; createdAt: string }): string {
    return lineHash(`ai-platform promotion audit chain v1\nstack ${chain.stack}\ncreated ${chain.createdAt}`);
}

/** The last whole line of the log and its position, for chaining the next record. */
function lastLine(file: string): { line: string; seq: number } | undefined {
    const text = readTextIfExists(file, "audit log");
    if (!text) return undefined;
    const lines = text.split("\n").filter((l) => l !== "");
    if (lines.length === 0) return undefined;
    const line = lines[lines.length - 1];
    let seq = lines.length - 1;
    try {
        const parsed = JSON.parse(line) as AuditRecord;
        if (Number.isInteger(parsed.seq)) seq = parsed.seq!;
    } catch {
        // an unparseable last line still has a hash; verification reports it
    }
    return { line, seq };
}

/** Where the log's head (position and hash of its last record) is kept beside it. */
export function headFile(stateDir: string, stack: string): string {
    return path.join(stateDir, "audit", `${stack}.head.json`);
}

export interface AuditHead {
    seq: number;
    hash: string;
}

/** Appends one chained record (seq, prev; the first gets the genesis `chain`), then moves the head. */
function writeLine(stateDir: string, file: string, record: AuditRecord): void {
    const previous = lastLine(file);
    const { seq: _seq, prev: _prev, chain: _chain, ...fields } = record;
    const chained: AuditRecord = previous
        ? { ...fields, seq: previous.seq + 1, prev: lineHash(previous.line) }
        : (() => {
              const chain = { stack: record.stack, createdAt: record.time };
              return { ...fields, seq: 0, chain, prev: genesisHash(chain) };
          })();
    const line = JSON.stringify(chained);
    guarded("append to the audit log", file, () => {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        const fd = fs.openSync(file, "a", 0o600);
        try {
            fs.writeSync(fd, line + "\n");
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
    });
    // The head moves only along an intact tail (or with an acknowledgement): a record appended
    // after an edited or truncated tail must not make the tampering look like the recorded head.
    const kept = readHead(stateDir, record.stack);
    const intact = !kept || (previous !== undefined && kept.seq === previous.seq && kept.hash === lineHash(previous.line));
    if (intact || record.event === "chain-acknowledged") {
        const head: AuditHead = { seq: chained.seq!, hash: lineHash(line) };
        writeFileAtomic(headFile(stateDir, record.stack), JSON.stringify(head) + "\n", 0o600);
    }
}

/** The head recorded beside the log (undefined when there is none). */
export function readHead(stateDir: string, stack: string): AuditHead | undefined {
    const text = readTextIfExists(headFile(stateDir, stack), "audit head");
    if (text === undefined) return undefined;
    try {
        const head = JSON.parse(text) as AuditHead;
        return Number.isInteger(head.seq) && typeof head.hash === "string" ? head : undefined;
    } catch {
        return undefined;
    }
}

export type ChainBreakKind = "edited" | "removed" | "reordered" | "not-a-record" | "unchained" | "truncated" | "head-mismatch";

export interface ChainBreak {
    /** 1-based line of the log where the break shows (for truncation: the last line). */
    line: number;
    /** seq the record should have had there. */
    seq: number;
    kind: ChainBreakKind;
    message: string;
    /** Accepted by a later `chain-acknowledged` record. */
    acknowledged?: boolean;
}

export interface ChainVerdict {
    ok: boolean;
    records: number;
    head?: AuditHead;
    breaks: ChainBreak[];
}

/**
 * Verifies the stack's hash chain: every record's `prev` must be the hash of the line before it
 * (the first's the genesis hash of its `chain`), `seq` must count up by one, and the last record
 * must be the head kept beside the log (and `expectHead`, an anchor kept elsewhere, if given).
 * Each break names its line and what it means; breaks a later `chain-acknowledged` record lists
 * are marked acknowledged and do not fail the verdict.
 */
export function verifyChain(stateDir: string, stack: string, expectHead?: string): ChainVerdict {
    const file = auditFile(stateDir, stack);
    const raw = readTextIfExists(file, "audit log") ?? "";
    const whole = raw.endsWith("\n") || raw === "" ? raw : raw.slice(0, raw.lastIndexOf("\n") + 1);
    const lines = whole.split("\n").slice(0, -1);
    const breaks: ChainBreak[] = [];
    const acks: { line: number; seq: number; kind: ChainBreakKind }[] = [];
    let previousLine: string | undefined;
    let previousSeq = -1;
    lines.forEach((line, index) => {
        const at = index + 1;
        let record: AuditRecord;
        try {
            record = JSON.parse(line) as AuditRecord;
            if (!record || typeof record !== "object") throw new Error("not a record");
        } catch {
            breaks.push({ line: at, seq: previousSeq + 1, kind: "not-a-record", message: `line ${at} is not a JSON record (edited, or two records glued together)` });
            previousLine = line;
            previousSeq += 1;
            return;
        }
        if (record.prev === undefined || record.seq === undefined) {
            breaks.push({ line: at, seq: previousSeq + 1, kind: "unchained", message: `line ${at} carries no seq/prev: written outside the driver, or by a version before the hash chain` });
        } else {
            if (record.seq > previousSeq + 1) {
                breaks.push({ line: at, seq: previousSeq + 1, kind: "removed", message: `line ${at} has seq ${record.seq} after seq ${previousSeq}: ${record.seq - previousSeq - 1} record(s) before it were removed` });
            } else if (record.seq < previousSeq + 1) {
                breaks.push({ line: at, seq: previousSeq + 1, kind: "reordered", message: `line ${at} has seq ${record.seq} after seq ${previousSeq}: records were reordered or duplicated` });
            }
            const expected = previousLine === undefined ? (record.chain ? genesisHash(record.chain) : undefined) : lineHash(previousLine);
            if (expected === undefined || record.prev !== expected) {
                if (record.seq === previousSeq + 1) {
                    breaks.push(
                        previousLine === undefined
                            ? { line: at, seq: 0, kind: "edited", message: `line 1 does not start the chain of stack ${stack}: the first record was edited or replaced` }
                            : { line: at - 1, seq: previousSeq, kind: "edited", message: `line ${at - 1} (seq ${previousSeq}) was edited: its hash is not the prev of line ${at}` },
                    );
                }
            }
            if (record.event === "chain-acknowledged" && record.acknowledged) acks.push(...record.acknowledged);
        }
        previousLine = line;
        previousSeq = record.seq ?? previousSeq + 1;
    });
    const actualHead: AuditHead | undefined = previousLine === undefined ? undefined : { seq: previousSeq, hash: lineHash(previousLine) };
    const kept = readHead(stateDir, stack);
    // The head pins the record at its seq: that record must still be there, unchanged.
    const pinned = kept ? lines.findIndex((l) => { try { return (JSON.parse(l) as AuditRecord).seq === kept.seq; } catch { return false; } }) : -1;
    if (kept && actualHead && pinned === -1 && kept.seq > actualHead.seq) {
        breaks.push({ line: lines.length, seq: kept.seq, kind: "truncated", message: `the log ends at seq ${actualHead.seq} but its head says seq ${kept.seq}: ${kept.seq - actualHead.seq} record(s) at the end were removed` });
    } else if (kept && actualHead && pinned >= 0 && lineHash(lines[pinned]) !== kept.hash) {
        breaks.push({
            line: pinned + 1,
            seq: kept.seq,
            kind: "edited",
            message: `line ${pinned + 1} (seq ${kept.seq}) is not the record the head kept in ${headFile(stateDir, stack)} pins: it was edited (or the tail was cut and written again)`,
        });
    } else if (kept && !actualHead) {
        breaks.push({ line: 0, seq: kept.seq, kind: "truncated", message: `the log is empty or missing but its head says seq ${kept.seq}: every record was removed` });
    }
    if (expectHead !== undefined && actualHead?.hash !== expectHead && !breaks.some((b) => b.kind === "truncated")) {
        breaks.push({ line: lines.length, seq: actualHead?.seq ?? -1, kind: "head-mismatch", message: `the log's head is ${actualHead?.hash ?? "(none)"}, not the anchored ${expectHead}: the log was rewritten or truncated since that anchor` });
    }
    for (const b of breaks) {
        // Matched by seq and kind: records appended after a break (refusals) may move its line.
        if (acks.some((a) => a.seq === b.seq && a.kind === b.kind)) b.acknowledged = true;
    }
    return { ok: breaks.every((b) => b.acknowledged), records: lines.length, head: actualHead, breaks };
}

/** All records of a stack, oldest first (a torn tail and lines that are not records are left out; see inspectAudit). */
export function readAudit(stateDir: string, stack: string): AuditRecord[] {
    return inspectAudit(stateDir, stack).records;
}

/** A record of a promotion step (not a refusal or a maintenance event). */
export type StepAuditRecord = AuditRecord & { kind: StepKind; toTier: Tier };

export function isStepRecord(record: AuditRecord): record is StepAuditRecord {
    return record.kind !== "maintenance" && record.toTier !== null && record.result !== "refused";
}

/** In-progress records without a final record for the same step. */
export function openSteps(records: AuditRecord[]): StepAuditRecord[] {
    const finished = new Set(records.filter((r) => r.result !== "in-progress").map((r) => r.stepId));
    return records.filter(isStepRecord).filter((r) => r.result === "in-progress" && !finished.has(r.stepId));
}

/**
 * The tier the audit log says the stack stands at: the target of its last successful step, or
 * the tier a later `repair-state` recorded (null: never deployed).
 */
export function auditedTier(records: AuditRecord[]): Tier | null {
    for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i];
        if (r.event === "state-repaired") return r.toTier;
        if ((r.result === "succeeded" || r.result === "rolled-back") && r.toTier !== null) return r.toTier;
    }
    return null;
}

/** The latest OTP lockout the log records (it outlives a lost state file). */
export function auditedLockout(records: AuditRecord[]): string | undefined {
    let latest: string | undefined;
    for (const r of records) {
        if (r.otpLockedUntil && (!latest || Date.parse(r.otpLockedUntil) > Date.parse(latest))) latest = r.otpLockedUntil;
    }
    return latest;
}
