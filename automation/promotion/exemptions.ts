/**
 * Exemptions of a stack (its stack file's `policyExemptions`) applied to a step's policy results:
 * a violation an active exemption covers is marked exempted (reported, never hidden, and not
 * blocking); one whose exemption has expired is a violation again and says so; an exemption that
 * matches no violation is stale and reported as such.
 */
import type { PolicyExemption } from "../../config/config";
import type { PolicyViolation } from "../engines/engine";

/** The end of an exemption's last day (UTC). */
export function exemptionEnd(exemption: Pick<PolicyExemption, "expires">): number {
    return Date.parse(`${exemption.expires}T23:59:59.999Z`);
}

function globToRegExp(pattern: string): RegExp {
    return new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Whether the exemption names this violation's policy and resource. */
export function exemptionMatches(exemption: PolicyExemption, violation: PolicyViolation): boolean {
    const policyMatches = exemption.policy === `${violation.policyPackName}/${violation.policyName}` || exemption.policy === violation.policyName;
    if (!policyMatches) return false;
    const urn = violation.resourceUrn;
    if (!urn) return exemption.resource === "*" || exemption.resource === "(stack)";
    if (!exemption.resource.includes("*")) return exemption.resource === urn || exemption.resource === urn.split("::").pop();
    const pattern = globToRegExp(exemption.resource);
    return pattern.test(urn) || pattern.test(urn.split("::").pop() ?? urn);
}

export interface ExemptionOutcome {
    violations: PolicyViolation[];
    /** Exemptions that matched no violation of the step. */
    stale: PolicyExemption[];
}

export function applyExemptions(violations: readonly PolicyViolation[], exemptions: readonly PolicyExemption[], now: Date): ExemptionOutcome {
    const used = new Set<PolicyExemption>();
    const marked = violations.map((violation): PolicyViolation => {
        const { exemption: _previous, ...plain } = violation;
        const matching = exemptions.filter((e) => exemptionMatches(e, plain));
        matching.forEach((e) => used.add(e));
        if (matching.length === 0) return plain;
        const active = matching.find((e) => exemptionEnd(e) >= now.getTime());
        const chosen = active ?? matching.reduce((a, b) => (exemptionEnd(a) >= exemptionEnd(b) ? a : b));
        const mark = { status: active ? ("active" as const) : ("expired" as const), reason: chosen.reason, approver: chosen.approver, expires: chosen.expires, policy: chosen.policy, resource: chosen.resource };
        return {
            ...plain,
            exemption: mark,
            ...(active ? {} : { message: `${plain.message} (exemption by ${chosen.approver} expired on ${chosen.expires}: a violation again)` }),
        };
    });
    return { violations: marked, stale: exemptions.filter((e) => !used.has(e)) };
}

/**
 * Policies (`pack/policy`) whose every mandatory result is actively exempted: they run advisory
 * for `up`, so the CLI does not refuse what the driver's gate let through.
 */
export function exemptedPolicies(violations: readonly PolicyViolation[]): string[] {
    const key = (v: PolicyViolation) => `${v.policyPackName}/${v.policyName}`;
    const blocking = new Set(violations.filter((v) => v.enforcementLevel === "mandatory" && v.exemption?.status !== "active").map(key));
    return [...new Set(violations.filter((v) => v.enforcementLevel === "mandatory" && v.exemption?.status === "active").map(key))].filter((k) => !blocking.has(k));
}

/**
 * Results of an `up` that ran `lowered` policies advisory, with their level restored before the
 * exemptions apply again: a result of a lowered policy is mandatory when the preview had it as
 * mandatory, or did not have it at all (whatever is new is not covered by the review).
 */
export function restoreLevels(violations: readonly PolicyViolation[], lowered: readonly string[], previewed: readonly PolicyViolation[]): PolicyViolation[] {
    const key = (v: PolicyViolation) => `${v.policyPackName}/${v.policyName}|${v.resourceUrn ?? ""}`;
    const levels = new Map(previewed.map((v) => [key(v), v.enforcementLevel]));
    return violations.map((v) => {
        if (!lowered.includes(`${v.policyPackName}/${v.policyName}`) || v.enforcementLevel !== "advisory") return v;
        const before = levels.get(key(v));
        return before === undefined || before === "mandatory" ? { ...v, enforcementLevel: "mandatory" } : v;
    });
}
