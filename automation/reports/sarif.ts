/**
 * SARIF 2.1.0 of a whole promotion run, for hosted CI code scanning: one result per policy
 * violation and per cost-gate breach of every step, with rule metadata (description, severity)
 * from the rules themselves. Mandatory violations are errors, advisory ones warnings; a violation
 * an active exemption covers keeps its level and carries an accepted external suppression with the
 * exemption's reason, approver and expiry (so it is shown as suppressed, never hidden). Locations
 * are the stack file (physical) and the resource URN (logical).
 */
import { createHash } from "crypto";
import { allRules, RuleInfo } from "./ruleCatalog";
import type { PromotionSummary, StepSummary } from "../promotion/types";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const TOOL_NAME = "ai-platform-promotion";

const SEVERITY_LEVEL: Record<string, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };

function firstSentence(text: string): string {
    const match = /^(.+?[.!?])(\s|$)/.exec(text);
    return match ? match[1] : text;
}

function fingerprint(...parts: string[]): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export interface SarifInput {
    summary: PromotionSummary;
    /** The stack file, relative to the repository root (the results' physical location). */
    stackFile: string;
    /** Tool version (the project's). */
    version: string;
}

export function sarifLog({ summary, stackFile, version }: SarifInput): Record<string, unknown> {
    const rules = allRules();
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const results: Record<string, unknown>[] = [];
    const location = (urn?: string) => ({
        physicalLocation: { artifactLocation: { uri: stackFile, uriBaseId: "%SRCROOT%" } },
        ...(urn ? { logicalLocations: [{ fullyQualifiedName: urn, name: urn.split("::").pop(), kind: "resource" }] } : {}),
    });
    const stepProperties = (step: StepSummary) => ({
        stack: summary.stack,
        step: `${step.from === null ? "none" : step.from} -> ${step.to}`,
        tier: step.to,
        stepId: step.stepId,
        result: step.result,
        ...(step.planDigest ? { planDigest: step.planDigest } : {}),
    });
    for (const step of summary.steps) {
        for (const v of step.violations) {
            const ruleId = `${v.policyPackName}/${v.policyName}`;
            const active = v.exemption?.status === "active";
            results.push({
                ruleId,
                ...(index.has(ruleId) ? { ruleIndex: index.get(ruleId) } : {}),
                level: v.enforcementLevel === "mandatory" ? "error" : v.enforcementLevel === "advisory" ? "warning" : "note",
                message: { text: `${v.message}${v.resourceUrn ? ` (${v.resourceUrn.split("::").pop()})` : ""}` },
                locations: [location(v.resourceUrn)],
                partialFingerprints: { "policyResult/v1": fingerprint(summary.stack, ruleId, v.resourceUrn ?? "", v.message) },
                ...(active
                    ? { suppressions: [{ kind: "external", status: "accepted", justification: `${v.exemption!.reason} (approved by ${v.exemption!.approver}, until ${v.exemption!.expires})` }] }
                    : {}),
                properties: { ...stepProperties(step), enforcementLevel: v.enforcementLevel, ...(v.exemption ? { exemption: v.exemption.status } : {}) },
            });
        }
        const cost = step.cost;
        if (cost) {
            const breaches: [string, string][] = [];
            if (cost.monthlyExpected > cost.monthlyCap) breaches.push(["cost-gate/monthly-cap", `expected $${cost.monthlyExpected.toFixed(2)}/month is above the monthly cap $${cost.monthlyCap.toFixed(2)} (monthlyCostCap)`]);
            if (cost.hourlyWorstCase > cost.maxCostPerHour) breaches.push(["cost-gate/max-cost-per-hour", `worst case $${cost.hourlyWorstCase.toFixed(2)}/hour is above maxCostPerHour $${cost.maxCostPerHour.toFixed(2)}`]);
            for (const [ruleId, text] of breaches) {
                results.push({
                    ruleId,
                    ruleIndex: index.get(ruleId),
                    level: "error",
                    message: { text: `${summary.stack} step to tier ${step.to}: ${text}` },
                    locations: [location()],
                    partialFingerprints: { "costBreach/v1": fingerprint(summary.stack, ruleId, String(step.to)) },
                    properties: { ...stepProperties(step), cost },
                });
            }
        }
    }
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: TOOL_NAME,
                        version,
                        rules: rules.map(sarifRule),
                    },
                },
                automationDetails: { id: `promotion/${summary.stack}/` },
                invocations: [{ executionSuccessful: summary.exitCode === 0, exitCode: summary.exitCode, exitCodeDescription: summary.message }],
                results,
                properties: { stack: summary.stack, engine: summary.engine, startTier: summary.startTier, finalTier: summary.finalTier, ...(summary.auditHead ? { auditHead: summary.auditHead } : {}) },
            },
        ],
    };
}

function sarifRule(rule: RuleInfo): Record<string, unknown> {
    return {
        id: rule.id,
        name: rule.name,
        shortDescription: { text: firstSentence(rule.description) },
        fullDescription: { text: rule.description },
        defaultConfiguration: { level: SEVERITY_LEVEL[rule.severity] ?? "warning" },
        properties: { severity: rule.severity, pack: rule.pack, tags: [rule.pack, ...rule.tags] },
    };
}
