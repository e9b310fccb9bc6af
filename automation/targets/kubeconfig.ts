/**
 * Credentials of one context of a kubeconfig file, for the driver's own reads of a target
 * cluster (preflight, rollout watch, verification). Supports what kubeconfigs of existing and
 * local clusters carry: server, CA (inline or file), client certificate and key (inline or
 * file), bearer token (inline or file). Exec and auth-provider plugins are not run: the driver
 * says so and names the context.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export interface ClusterCredentials {
    /** Context the credentials come from. */
    context: string;
    server: string;
    ca?: Buffer;
    cert?: Buffer;
    key?: Buffer;
    token?: string;
    insecureSkipTlsVerify?: boolean;
}

interface Named<T> {
    name?: string;
    [key: string]: unknown;
    value?: T;
}

function byName<T>(list: unknown, kind: string, name: string, file: string): T {
    const entries = Array.isArray(list) ? (list as Named<T>[]) : [];
    const entry = entries.find((e) => e?.name === name);
    if (!entry) throw new Error(`${file}: no ${kind} named "${name}" (fix the kubeconfig or the stack's kubeconfig key)`);
    return (entry as Record<string, unknown>)[kind] as T;
}

/** Inline base64 data, or the file it names (relative to the kubeconfig's directory). */
function material(data: unknown, file: unknown, base: string): Buffer | undefined {
    if (typeof data === "string" && data !== "") return Buffer.from(data, "base64");
    if (typeof file === "string" && file !== "") return fs.readFileSync(path.resolve(base, file));
    return undefined;
}

/**
 * The credentials of `context` (default: the current context) in the kubeconfig at `file`.
 * Throws naming the file and the missing piece.
 */
export function credentialsFor(file: string, context?: string): ClusterCredentials {
    const text = fs.readFileSync(file, "utf8");
    const config = (parseYaml(text) ?? {}) as Record<string, unknown>;
    const contextName = context ?? (typeof config["current-context"] === "string" ? (config["current-context"] as string) : undefined);
    if (!contextName) throw new Error(`${file}: no context given and no current-context set`);
    const ctx = byName<{ cluster?: string; user?: string }>(config.contexts, "context", contextName, file) ?? {};
    if (!ctx.cluster) throw new Error(`${file}: context "${contextName}" names no cluster`);
    const cluster = byName<Record<string, unknown>>(config.clusters, "cluster", ctx.cluster, file) ?? {};
    const user = (ctx.user ? byName<Record<string, unknown>>(config.users, "user", ctx.user, file) : undefined) ?? {};
    if (user.exec || user["auth-provider"]) {
        throw new Error(`${file}: context "${contextName}" authenticates with an exec or auth-provider plugin, which the driver does not run; use a client certificate or a token`);
    }
    if (typeof cluster.server !== "string") throw new Error(`${file}: cluster "${ctx.cluster}" has no server`);
    const base = path.dirname(path.resolve(file));
    const tokenFile = typeof user.tokenFile === "string" ? fs.readFileSync(path.resolve(base, user.tokenFile), "utf8").trim() : undefined;
    return {
        context: contextName,
        server: cluster.server,
        ca: material(cluster["certificate-authority-data"], cluster["certificate-authority"], base),
        cert: material(user["client-certificate-data"], user["client-certificate"], base),
        key: material(user["client-key-data"], user["client-key"], base),
        token: typeof user.token === "string" ? user.token : tokenFile,
        insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    };
}
