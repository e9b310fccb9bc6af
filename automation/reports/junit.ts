/**
 * JUnit XML of a whole promotion run, for hosted CI test reports: one test suite per step, one
 * test case per policy of the four packs (class name: the pack) plus the cost gate's two checks.
 * A case fails when the step has a mandatory violation of it that no active exemption covers (or
 * the cost check is breached); advisory and exempted results are listed in the case's output; the
 * cases of a step whose preview never ran are skipped with the reason.
 */
import { COST_GATE_RULES, policyRules } from "./ruleCatalog";
import type { PromotionSummary, StepSummary } from "../promotion/types";

function xml(text: string): string {
    return text
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;");
}

interface Case {
    classname: string;
    name: string;
    failure?: { message: string; body: string };
    skipped?: string;
    out: string[];
}

function stepCases(step: StepSummary): Case[] {
    const cases: Case[] = [];
    const skipped = step.previewed ? undefined : `the step's preview did not run (${step.result}${step.message ? `: ${step.message}` : ""})`;
    for (const rule of policyRules()) {
        const results = step.violations.filter((v) => `${v.policyPackName}/${v.policyName}` === rule.id);
        const blocking = results.filter((v) => v.enforcementLevel === "mandatory" && v.exemption?.status !== "active");
        const line = (v: (typeof results)[number]) =>
            `${v.enforcementLevel}${v.exemption ? ` (exemption ${v.exemption.status}: ${v.exemption.reason}, ${v.exemption.approver}, until ${v.exemption.expires})` : ""} ${v.resourceUrn ?? "(stack)"}: ${v.message}`;
        cases.push({
            classname: rule.pack,
            name: rule.name,
            ...(skipped ? { skipped } : {}),
            ...(blocking.length ? { failure: { message: `${blocking.length} mandatory violation(s)`, body: blocking.map(line).join("\n") } } : {}),
            out: results.filter((v) => !blocking.includes(v)).map(line),
        });
    }
    for (const rule of COST_GATE_RULES) {
        const cost = step.cost;
        let failure: Case["failure"];
        if (cost && rule.id === "cost-gate/monthly-cap" && cost.monthlyExpected > cost.monthlyCap) {
            failure = { message: "over the monthly cap", body: `expected $${cost.monthlyExpected.toFixed(2)}/month > cap $${cost.monthlyCap.toFixed(2)}` };
        }
        if (cost && rule.id === "cost-gate/max-cost-per-hour" && cost.hourlyWorstCase > cost.maxCostPerHour) {
            failure = { message: "over maxCostPerHour", body: `worst case $${cost.hourlyWorstCase.toFixed(2)}/hour > $${cost.maxCostPerHour.toFixed(2)}` };
        }
        cases.push({
            classname: rule.pack,
            name: rule.name,
            ...(cost ? {} : { skipped: skipped ?? "no cost estimate for this step" }),
            ...(failure ? { failure } : {}),
            out: cost ? [`expected $${cost.monthlyExpected.toFixed(2)}/month of $${cost.monthlyCap.toFixed(2)}; worst case $${cost.hourlyWorstCase.toFixed(2)}/hour of $${cost.maxCostPerHour.toFixed(2)}`] : [],
        });
    }
    return cases;
}

export function junitXml(summary: PromotionSummary, timestamp: Date = new Date()): string {
    const suites = summary.steps.map((step) => ({ step, cases: stepCases(step) }));
    const count = (f: (c: Case) => boolean) => suites.reduce((n, s) => n + s.cases.filter(f).length, 0);
    const lines = [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<testsuites name="${xml(`promotion ${summary.stack}`)}" tests="${count(() => true)}" failures="${count((c) => !!c.failure)}" errors="0" skipped="${count((c) => !!c.skipped)}">`,
    ];
    for (const { step, cases } of suites) {
        const name = `${summary.stack} ${step.kind} ${step.from === null ? "none" : step.from} -> ${step.to}`;
        lines.push(
            `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}" errors="0" skipped="${cases.filter((c) => c.skipped).length}" ` +
                `time="${(step.durationMs / 1000).toFixed(3)}" timestamp="${timestamp.toISOString().slice(0, 19)}">`,
        );
        lines.push(`    <properties>`);
        for (const [key, value] of [["stack", summary.stack], ["stepId", step.stepId], ["result", step.result], ["planDigest", step.planDigest ?? ""], ["engine", summary.engine]]) {
            lines.push(`      <property name="${xml(key)}" value="${xml(value)}"/>`);
        }
        lines.push(`    </properties>`);
        for (const c of cases) {
            lines.push(`    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="0">`);
            if (c.skipped) lines.push(`      <skipped message="${xml(c.skipped)}"/>`);
            if (c.failure) lines.push(`      <failure message="${xml(c.failure.message)}" type="mandatory">${xml(c.failure.body)}</failure>`);
            if (c.out.length) lines.push(`      <system-out>${xml(c.out.join("\n"))}</system-out>`);
            lines.push(`    </testcase>`);
        }
        lines.push(`  </testsuite>`);
    }
    lines.push(`</testsuites>`);
    return lines.join("\n") + "\n";
}
