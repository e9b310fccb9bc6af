/**
 * A small HTTPS client for a cluster's apiserver, authenticated with a client certificate or a
 * bearer token: enough for readiness checks, server-side apply of the local clusters' setup
 * objects, the driver's reads of a target cluster (preflight, rollout watch, verification), and
 * reads and writes in tests.
 */
import * as fs from "fs";
import * as https from "https";

export interface KubeApiResponse<T = unknown> {
    status: number;
    body: T;
    text: string;
}

export class KubeApiError extends Error {
    constructor(
        readonly method: string,
        readonly urlPath: string,
        readonly status: number,
        readonly text: string,
    ) {
        super(`${method} ${urlPath}: HTTP ${status}: ${KubeApiError.reason(text)}`);
    }
    static reason(text: string): string {
        try {
            const j = JSON.parse(text) as { message?: string };
            return j.message ?? text.slice(0, 500);
        } catch {
            return text.slice(0, 500);
        }
    }
}

export interface KubeApiOptions {
    server: string;
    caFile: string;
    certFile: string;
    keyFile: string;
}

/** Credentials as a kubeconfig context carries them (see automation/targets/kubeconfig.ts). */
export interface KubeApiCredentials {
    server: string;
    ca?: Buffer;
    cert?: Buffer;
    key?: Buffer;
    token?: string;
    insecureSkipTlsVerify?: boolean;
}

export class KubeApi {
    private readonly agent: https.Agent;
    private readonly base: URL;
    private readonly token?: string;

    constructor(options: KubeApiOptions | KubeApiCredentials) {
        const credentials: KubeApiCredentials =
            "caFile" in options
                ? { server: options.server, ca: fs.readFileSync(options.caFile), cert: fs.readFileSync(options.certFile), key: fs.readFileSync(options.keyFile) }
                : options;
        this.base = new URL(credentials.server);
        this.token = credentials.token;
        this.agent = new https.Agent({
            ca: credentials.ca,
            cert: credentials.cert,
            key: credentials.key,
            rejectUnauthorized: !credentials.insecureSkipTlsVerify,
            keepAlive: false,
        });
    }

    static fromCredentials(credentials: KubeApiCredentials): KubeApi {
        return new KubeApi(credentials);
    }

    /** Any request; resolves with the status whatever it is (throws only on transport errors and timeouts). */
    request<T = unknown>(method: string, urlPath: string, body?: unknown, contentType = "application/json", timeoutMs = 10_000): Promise<KubeApiResponse<T>> {
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const req = https.request(
                {
                    host: this.base.hostname,
                    port: this.base.port,
                    path: urlPath,
                    method,
                    agent: this.agent,
                    headers: {
                        Accept: "application/json",
                        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
                        ...(payload !== undefined ? { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) } : {}),
                    },
                    timeout: timeoutMs,
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        let parsed: unknown = text;
                        if ((res.headers["content-type"] ?? "").includes("json")) {
                            try {
                                parsed = JSON.parse(text);
                            } catch {
                                parsed = text;
                            }
                        }
                        resolve({ status: res.statusCode ?? 0, body: parsed as T, text });
                    });
                    res.on("error", reject);
                },
            );
            req.on("timeout", () => req.destroy(new Error(`${method} ${urlPath}: timed out after ${timeoutMs} ms`)));
            req.on("error", reject);
            if (payload !== undefined) req.write(payload);
            req.end();
        });
    }

    /** A request that must succeed (2xx); the parsed body. */
    async call<T = unknown>(method: string, urlPath: string, body?: unknown, contentType?: string): Promise<T> {
        const res = await this.request<T>(method, urlPath, body, contentType);
        if (res.status < 200 || res.status >= 300) throw new KubeApiError(method, urlPath, res.status, res.text);
        return res.body;
    }

    get<T = unknown>(urlPath: string): Promise<T> {
        return this.call<T>("GET", urlPath);
    }

    /** Server-side apply (creates or updates, field manager `local-clusters`). */
    apply<T = unknown>(urlPath: string, object: unknown): Promise<T> {
        return this.call<T>("PATCH", `${urlPath}?fieldManager=local-clusters&force=true`, object, "application/apply-patch+yaml");
    }

    /** `GET /readyz` answers 200. */
    async ready(timeoutMs = 2_000): Promise<boolean> {
        try {
            const res = await this.request("GET", "/readyz", undefined, undefined, timeoutMs);
            return res.status === 200;
        } catch {
            return false;
        }
    }

    close(): void {
        this.agent.destroy();
    }
}

/** The REST path of a resource (collection when `name` is absent). */
export function resourcePath(apiVersion: string, plural: string, name?: string, namespace?: string): string {
    const prefix = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    return `${prefix}${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}
