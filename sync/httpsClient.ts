/**
 * HTTPS requests to a region's endpoint, TLS 1.3 only, the server's certificate verified
 * against the given CA bundle (or the system roots).
 */
import * as http from "http";
import * as https from "https";

export interface RequestOptions {
    method: "GET" | "POST";
    headers?: Record<string, string>;
    /** PEM CA bundle the server's certificate must chain to; undefined: the system roots. */
    ca?: string | Buffer;
}

export interface OpenRequest {
    req: http.ClientRequest;
    /** Resolves with the response head (the body is still streaming). */
    response: Promise<http.IncomingMessage>;
    /** True once the TLS handshake with the server completed (so the request was sent to it). */
    reachedServer(): boolean;
}

export function openRequest(url: URL, options: RequestOptions): OpenRequest {
    let reached = false;
    const req = https.request(url, {
        method: options.method,
        headers: options.headers,
        ca: options.ca,
        minVersion: "TLSv1.3",
        agent: false,
    });
    req.on("socket", (socket) => socket.once("secureConnect", () => (reached = true)));
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
        req.once("response", resolve);
        req.once("error", reject);
    });
    // The caller may attach its own handlers later; an unhandled rejection must not crash the process meanwhile.
    response.catch(() => undefined);
    return { req, response, reachedServer: () => reached };
}

/** The body of a response as text, at most `limit` bytes. */
export async function readText(res: http.IncomingMessage, limit = 1 << 20): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw new Error(`response larger than ${limit} bytes`);
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
}

/** One request with an optional body; the status, headers and body text (at most `limit` bytes, default 1 MiB). */
export async function requestText(
    url: URL,
    options: RequestOptions & { body?: string | Buffer; limit?: number },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const open = openRequest(url, options);
    open.req.end(options.body);
    const res = await open.response;
    return { status: res.statusCode ?? 0, headers: res.headers, body: await readText(res, options.limit) };
}
