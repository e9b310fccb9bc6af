/**
 * Elastic Load Balancing TLS security policies by the protocol versions they allow. AWS names
 * every predefined policy after its minimum version: `ELBSecurityPolicy-TLS13-1-2-*`,
 * `-TLS-1-2-*` and `-FS-1-2-*` allow TLS 1.2 and 1.3 only; `ELBSecurityPolicy-TLS13-1-3-*`
 * allows TLS 1.3 only. Older policies (`ELBSecurityPolicy-2016-08`, `-TLS-1-1-*`) allow 1.0/1.1.
 */
export function allowsOnlyTls12OrNewer(policy: unknown): boolean {
    return typeof policy === "string" && /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/.test(policy);
}

export function allowsOnlyTls13(policy: unknown): boolean {
    return typeof policy === "string" && /^ELBSecurityPolicy-TLS13-1-3-/.test(policy);
}
