/**
 * Append-only audit log, one JSON line per event: `<state-dir>/audit/<stack>.jsonl`.
 * Every step writes an "in-progress" line before `up` and exactly one final line with the
 * same stepId afterwards (or, after a crash, an "interrupted" line written by the next run).
 * Lines are only ever appended (O_APPEND); nothing secret goes in: no seed, no code, no
 * secret output.
 */
import * as fs from "fs";
import * as path from "path";
import { Tier } from "../../infra/catalog/types";
import { EngineName } from "../engines/engine";
import { StepKind } from "../promotion/plan";
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
    /** Resources the cost model could not price (absent when none): the figures are lower bounds. */
    unpriced?: number;
}

export interface AuditRecord {
    time: string;
    stack: string;
    stepId: string;
    actor: string;
    kind: StepKind;
    fromTier: Tier | null;
    toTier: Tier;
    engine: EngineName;
    result: StepResult | "in-progress";
    policyViolations: AuditViolation[];
    cost?: AuditCost;
    otpVerified: boolean;
    /**
     * Set when the step's OTP approval is the code verified by an earlier step of the same run
     * (that step's stepId): one verified code approves the OTP-gated steps of one run.
     */
    otpApprovedInStep?: string;
    /** Why a step stopped or failed; for an interrupted step, when it had started. */
    message?: string;
    /** The target's preflight and verification (Kubernetes targets): passed or not, and the problems found. */
    target?: AuditTarget;
    /** Choices that changed how the step ran (e.g. a skipped preflight). */
    notes?: string[];
}

export interface AuditTarget {
    preflight?: { ok: boolean; problems: string[] };
    verification?: { ok: boolean; problems: string[] };
}

export function auditFile(stateDir: string, stack: string): string {
    assertStackName(stack);
    return path.join(stateDir, "audit", `${stack}.jsonl`);
}

export function appendAudit(stateDir: string, record: AuditRecord): void {
    const file = auditFile(stateDir, record.stack);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, "a", 0o600);
    try {
        fs.writeSync(fd, JSON.stringify(record) + "\n");
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}

/** All records of a stack, oldest first. A torn last line (crash while appending) is skipped. */
export function readAudit(stateDir: string, stack: string): AuditRecord[] {
    const file = auditFile(stateDir, stack);
    if (!fs.existsSync(file)) return [];
    const records: AuditRecord[] = [];
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        if (!line.trim()) continue;
        try {
            records.push(JSON.parse(line) as AuditRecord);
        } catch {
            // A partial line can only be the last one written before a crash.
        }
    }
    return records;
}

/** In-progress records without a final record for the same step. */
export function openSteps(records: AuditRecord[]): AuditRecord[] {
    const finished = new Set(records.filter((r) => r.result !== "in-progress").map((r) => r.stepId));
    return records.filter((r) => r.result === "in-progress" && !finished.has(r.stepId));
}
