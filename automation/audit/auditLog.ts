/**
 * Append-only audit log, one JSON line per event: `<state-dir>/audit/<stack>.jsonl`.
 * Every step writes an "in-progress" line before `up` and exactly one final line with the
 * same stepId afterwards (or, after a crash, an "interrupted" line written by the next run).
 * Lines are only ever appended (O_APPEND), each on a line of its own: a torn last line (a crash
 * in the middle of an append) is detected, set aside into a file of its own and recorded before
 * the next append. Nothing secret goes in: no seed, no code, no secret output.
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Tier } from "../../infra/catalog/types";
import { EngineName } from "../engines/engine";
import { StepKind } from "../promotion/plan";
import { guarded, readTextIfExists } from "../state/safeFs";
import { assertStackName, StepResult } from "../state/stackState";

export interface AuditViolation {
    name: string;
    pack: string;
    level: string;
    urn?: string;
}

export interface AuditCost {
    monthlyExpected: number;
    monthlyWorstCase: number;
    hourlyWorstCase: number;
    monthlyCap: number;
    maxCostPerHour: number;
    /** monthlyExpected / monthlyCap. */
    capUtilisation: number;
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
    if (repair) writeLine(file, tailRepairRecord(record.stack, repair, record.actor, record.time));
    writeLine(file, record);
}

function writeLine(file: string, record: AuditRecord): void {
    guarded("append to the audit log", file, () => {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        const fd = fs.openSync(file, "a", 0o600);
        try {
            fs.writeSync(fd, JSON.stringify(record) + "\n");
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
    });
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
