/**
 * Rendering of a Review: Markdown that reads well as a pull-request comment (summary table,
 * verdict line, details collapsed) and a small hand-written SVG bar chart of cost per tier
 * against the cap.
 */
import { PolicyViolation } from "../engines/engine";
import { Breakdown, Review, TierCost, Verdict } from "./types";

export function usd(amount: number): string {
    const sign = amount < 0 ? "-" : "";
    return `${sign}$${Math.abs(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function signedUsd(amount: number): string {
    return amount > 0 ? `+${usd(amount)}` : usd(amount);
}

function percent(fraction: number): string {
    return `${(fraction * 100).toFixed(1)} %`;
}

const VERDICT_LINE: Record<Verdict, string> = {
    "within-cap": "✅ **within cap**",
    "over-cap": "❌ **over cap**",
    "policy-denied": "⛔ **policy denied**",
    "engine-failed": "⚠️ **preview failed**",
};

/** Markdown table cells must not break the table. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function breakdownTable(rows: Breakdown[], label: string, hasCurrent: boolean): string {
    if (rows.length === 0) return "_none_";
    const head = hasCurrent ? `| ${label} | current | proposed | delta |\n|---|---:|---:|---:|` : `| ${label} | proposed |\n|---|---:|`;
    const body = rows.map((r) =>
        hasCurrent ? `| ${cell(r.key)} | ${usd(r.current)} | ${usd(r.proposed)} | ${signedUsd(r.delta)} |` : `| ${cell(r.key)} | ${usd(r.proposed)} |`,
    );
    return [head, ...body].join("\n");
}

function policyTable(violations: PolicyViolation[]): string {
    if (violations.length === 0) return "_no policy results_";
    const level = (v: PolicyViolation) =>
        v.exemption?.status === "active"
            ? `${v.enforcementLevel}, **exempted** until ${v.exemption.expires} by ${cell(v.exemption.approver)}: ${cell(v.exemption.reason)}`
            : v.exemption ? `${v.enforcementLevel}, exemption **expired** ${v.exemption.expires}` : v.enforcementLevel;
    const rows = violations.map(
        (v) => `| ${level(v)} | ${cell(v.policyPackName)} | \`${cell(v.policyName)}\` | ${cell(v.resourceUrn?.split("::").pop() ?? "(stack)")} | ${cell(v.message)} |`,
    );
    return ["| level | pack | policy | resource | message |", "|---|---|---|---|---|", ...rows].join("\n");
}

function details(summary: string, body: string): string {
    return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export function renderMarkdown(review: Review, chartFile?: string): string {
    const from = review.currentTier === undefined ? "not deployed" : `tier ${review.currentTier}`;
    const hasCurrent = review.current !== undefined;
    const p = review.proposed;
    const c = review.current;
    const col = (value: number | undefined, f: (n: number) => string) => (value === undefined ? "-" : f(value));
    // With unpriced resources the proposed figures only bound the cost from below.
    const bound = review.unpriced.length > 0 ? " (lower bound)" : "";
    const lines: string[] = [];
    lines.push(`## Cost-cap review: \`${review.stack}\` ${from} → tier ${review.proposedTier}`);
    lines.push("");
    lines.push(
        `${VERDICT_LINE[review.verdict]} — ${usd(p.monthlyExpected)}/month expected, ${percent(review.capUtilisation.expected)} of the ${usd(review.cap.monthly)} monthly cap. ${review.verdictReason}` +
            review.warnings.map((w) => ` ⚠️ ${w}.`).join(""),
    );
    lines.push("");
    if (review.planDigest) lines.push(`Plan: \`${review.planDigest}\` — approve exactly this plan with \`promote --stack ${review.stack} --to ${review.proposedTier} --approve-plan ${review.planDigest}\` (refused, exit 10, if the plan changed).`);
    if (review.policyEnforcement) lines.push(`Policy enforcement of this run: **${review.policyEnforcement}**.`);
    if (review.configOverrides) {
        const list = Object.entries(review.configOverrides).map(([k, v]) => `\`${cell(k)}=${cell(v)}\``).join(", ");
        const enforcement = review.configOverrides.policyEnforcement !== undefined ? " Policy enforcement itself is overridden." : "";
        lines.push(`⚠️ **Stack config overridden on the command line for this run:** ${list} (recorded in the audit log).${enforcement}`);
    }
    if (review.policyEnforcement || review.configOverrides) lines.push("");
    lines.push(`| | current (${from}) | proposed (tier ${review.proposedTier}) | delta |`);
    lines.push("|---|---:|---:|---:|");
    lines.push(`| Monthly, expected | ${col(c?.monthlyExpected, usd)} | ${usd(p.monthlyExpected)}${bound} | ${signedUsd(review.delta.monthlyExpected)} |`);
    lines.push(`| Monthly, worst case (autoscaling at maximum) | ${col(c?.monthlyWorstCase, usd)} | ${usd(p.monthlyWorstCase)}${bound} | ${signedUsd(review.delta.monthlyWorstCase)} |`);
    lines.push(`| Hourly, expected / worst case | ${c ? `${usd(c.hourlyExpected)} / ${usd(c.hourlyWorstCase)}` : "-"} | ${usd(p.hourlyExpected)} / ${usd(p.hourlyWorstCase)}${bound} | |`);
    lines.push(`| Cap | | ${usd(review.cap.monthly)}/month, ${usd(review.cap.hourly)}/hour | |`);
    lines.push(`| Cap utilisation (expected / worst case) | | ${percent(review.capUtilisation.expected)} / ${percent(review.capUtilisation.worstCase)} | |`);
    lines.push(`| Policy results (mandatory / advisory) | | ${review.policy.mandatory.length} / ${review.policy.advisory.length} | |`);
    lines.push(`| Resources planned / unpriced | ${col(c?.resourceCount, String)} | ${p.resourceCount} / ${review.unpriced.length} | |`);
    lines.push("");
    if (chartFile) {
        lines.push(`Chart of cost per tier against the cap: \`${chartFile}\``);
        lines.push("");
    }
    lines.push(details(`Cost per region (${review.byRegion.length})`, breakdownTable(review.byRegion, "region", hasCurrent)));
    lines.push("");
    lines.push(details(`Cost per component (${review.byComponent.length})`, breakdownTable(review.byComponent, "component", hasCurrent)));
    lines.push("");
    const drivers = review.topDrivers.map(
        (d, i) => `| ${i + 1} | ${cell(d.name)} | \`${cell(d.type)}\` | ${cell(d.region ?? "-")} | ${cell(d.component ?? "-")} | ${usd(d.monthly)} | ${cell(d.detail ?? "")} |`,
    );
    lines.push(
        details(
            `Top ${review.topDrivers.length} cost drivers`,
            drivers.length === 0 ? "_none_" : ["| # | resource | type | region | component | monthly | how |", "|---:|---|---|---|---|---:|---|", ...drivers].join("\n"),
        ),
    );
    lines.push("");
    const unpriced = review.unpriced.map((u) => `| ${cell(u.name)} | \`${cell(u.type)}\` | ${cell(u.reason)} |`);
    lines.push(
        details(
            `Unpriced resources (${review.unpriced.length})`,
            unpriced.length === 0 ? "_every resource is priced or free_" : ["| resource | type | why |", "|---|---|---|", ...unpriced].join("\n"),
        ),
    );
    lines.push("");
    const usage = review.usageBased.map((u) => `| ${cell(u.name)} | \`${cell(u.type)}\` | ${cell(u.reason)} |`);
    lines.push(
        details(
            `Usage-billed resources, not in the totals (${review.usageBased.length})`,
            usage.length === 0 ? "_none_" : ["| resource | type | billed by |", "|---|---|---|", ...usage].join("\n"),
        ),
    );
    lines.push("");
    const exempted = review.policy.exempted ?? [];
    lines.push(details(`Policy results (${review.policy.mandatory.length + review.policy.advisory.length}${exempted.length ? `, ${exempted.length} exempted` : ""})`, policyTable([...review.policy.mandatory, ...review.policy.advisory, ...exempted])));
    for (const e of review.staleExemptions ?? []) {
        lines.push(`⚠️ Stale exemption: \`${cell(e.policy)}\` on \`${cell(e.resource)}\` (approved by ${cell(e.approver)} until ${e.expires}) matches no policy result of this tier: remove it from the stack file.`);
    }
    if (review.tierCosts && review.tierCosts.length > 0) {
        lines.push("");
        const rows = review.tierCosts.map((t) => `| ${t.tier} | ${usd(t.monthlyExpected)} | ${usd(t.monthlyWorstCase)} | ${percent(t.monthlyExpected / review.cap.monthly)} |`);
        lines.push(details("Cost per tier", ["| tier | monthly expected | monthly worst case | of cap |", "|---:|---:|---:|---:|", ...rows].join("\n")));
    }
    if (review.caveats.length > 0) {
        lines.push("");
        lines.push(details(`Engine: ${review.engine} — what it cannot know`, review.caveats.map((c) => `- ${c}`).join("\n")));
    }
    lines.push("");
    lines.push(`<sub>Generated ${review.generatedAt} by the promotion driver (engine: ${review.engine}); figures from cost/costModel.ts.</sub>`);
    return lines.join("\n") + "\n";
}

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function shortUsd(amount: number): string {
    return amount >= 10_000 ? `$${(amount / 1000).toFixed(0)}k` : amount >= 1000 ? `$${(amount / 1000).toFixed(1)}k` : `$${amount.toFixed(0)}`;
}

/**
 * Bar chart of monthly cost per tier (expected, with the worst case as a lighter bar behind it)
 * against a dashed cap line; the proposed tier is highlighted. Without `tierCosts`, shows the
 * current and proposed tiers only.
 */
export function renderSvg(review: Review): string {
    const tiers: TierCost[] =
        review.tierCosts && review.tierCosts.length > 0
            ? review.tierCosts
            : [
                  ...(review.current && review.currentTier !== undefined
                      ? [{ tier: review.currentTier, monthlyExpected: review.current.monthlyExpected, monthlyWorstCase: review.current.monthlyWorstCase }]
                      : []),
                  { tier: review.proposedTier, monthlyExpected: review.proposed.monthlyExpected, monthlyWorstCase: review.proposed.monthlyWorstCase },
              ];
    const width = 420;
    const height = 240;
    const left = 56;
    const right = 16;
    const top = 28;
    const bottom = 36;
    const plotHeight = height - top - bottom;
    const max = Math.max(review.cap.monthly, ...tiers.map((t) => t.monthlyWorstCase), 1) * 1.1;
    const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
    const slot = (width - left - right) / tiers.length;
    const barWidth = Math.min(56, slot * 0.6);
    const parts: string[] = [];
    parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
    parts.push(`<title>${escapeXml(`Monthly cost per tier of ${review.stack} against the ${usd(review.cap.monthly)} cap`)}</title>`);
    parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
    parts.push(`<text x="${left}" y="16" font-size="12" font-weight="bold">${escapeXml(`${review.stack}: monthly cost per tier (USD)`)}</text>`);
    parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}" stroke="#333"/>`);
    parts.push(`<text x="${left - 6}" y="${top + plotHeight}" text-anchor="end">$0</text>`);
    tiers.forEach((t, i) => {
        const x = left + slot * i + (slot - barWidth) / 2;
        const proposed = t.tier === review.proposedTier;
        const over = t.monthlyExpected > review.cap.monthly;
        const fill = over ? "#d9534f" : proposed ? "#2b7bb9" : "#8fb8d9";
        parts.push(`<rect x="${x.toFixed(1)}" y="${y(t.monthlyWorstCase).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(top + plotHeight - y(t.monthlyWorstCase)).toFixed(1)}" fill="${fill}" fill-opacity="0.3"/>`);
        parts.push(`<rect x="${x.toFixed(1)}" y="${y(t.monthlyExpected).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(top + plotHeight - y(t.monthlyExpected)).toFixed(1)}" fill="${fill}"/>`);
        parts.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y(t.monthlyExpected) - 4).toFixed(1)}" text-anchor="middle">${escapeXml(shortUsd(t.monthlyExpected))}</text>`);
        parts.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${top + plotHeight + 14}" text-anchor="middle"${proposed ? ' font-weight="bold"' : ""}>tier ${t.tier}</text>`);
    });
    const capY = y(review.cap.monthly).toFixed(1);
    parts.push(`<line x1="${left}" y1="${capY}" x2="${width - right}" y2="${capY}" stroke="#d9534f" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${left - 6}" y="${capY}" text-anchor="end" fill="#d9534f">cap</text>`);
    parts.push(`<text x="${width - right}" y="${(Number(capY) - 4).toFixed(1)}" text-anchor="end" fill="#d9534f">${escapeXml(`${usd(review.cap.monthly)}/month`)}</text>`);
    parts.push(`<text x="${left}" y="${height - 6}" fill="#555">solid: expected; light: worst case (autoscaling at maximum)</text>`);
    parts.push(`</svg>`);
    return parts.join("\n") + "\n";
}
