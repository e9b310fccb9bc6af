/**
 * The HTTPS endpoint of one region (routes in wire.ts). TLS 1.3 only: a client that offers
 * nothing newer than TLS 1.2 fails the handshake, and the failure is counted. Every /v1 request
 * is verified by the OtpVerifier before its body is read; every refusal is counted by reason.
 */
import { once } from "events";
import * as http from "http";
import * as https from "https";
import { HybridClock } from "./hlc";
import { errorText, Logger } from "./log";
import { SyncMetrics } from "./metrics";
import { lineBatches, LineTooLongError, parseLine } from "./ndjson";
import { Caller, OtpVerifier } from "./otpVerifier";
import { PayloadCipher } from "./payloadCrypto";
import { SyncStore } from "./store";
import { AckLine, checkName, FeedLine, feedItemLine, InvalidItemError, Item, itemToWire, OTP_HEADER, parsePushLine, PEER_HEADER, RefusalReason } from "./wire";

export interface Readiness {
    ready(): boolean;
    status(): unknown;
}

export interface ServerOptions {
    region: string;
    store: SyncStore;
    verifier: OtpVerifier;
    cipher: PayloadCipher;
    clock: HybridClock;
    metrics: SyncMetrics;
    log: Logger;
    readiness: Readiness;
    tls: { cert: Buffer; key: Buffer };
    maxItemBytes: number;
    /** Longest life of a follow session of the change feed. */
    sessionMaxMs: number;
    heartbeatMs?: number;
}

interface FeedSession {
    peer?: string;
    sentSeq: number;
    stop: () => void;
}

const NDJSON = "application/x-ndjson";
/** Payload bytes of a push session that may wait for the disk before the session stops reading. */
const PUSH_INFLIGHT_BYTES = 8 * 2 ** 20;

export class SyncServer {
    readonly server: https.Server;
    private accepting = true;
    private readonly feeds = new Set<FeedSession>();

    constructor(private readonly o: ServerOptions) {
        this.server = https.createServer({ cert: o.tls.cert, key: o.tls.key, minVersion: "TLSv1.3" }, (req, res) => {
            this.route(req, res).catch((error) => {
                o.log("error", "request failed", { path: pathOf(req), error: errorText(error) });
                if (!res.headersSent) sendJson(res, 500, { error: "internal" });
                else res.destroy();
            });
        });
        this.server.on("tlsClientError", (error: NodeJS.ErrnoException) => {
            const reason: RefusalReason = /unsupported protocol|version too low|wrong version/i.test(`${error.code ?? ""} ${error.message}`) ? "tls-version" : "tls-handshake";
            o.metrics.refusal(reason);
            o.log("warn", "TLS handshake refused", { reason, error: error.code ?? error.message });
        });
        o.metrics.registry.onCollect(() => {
            const stats = o.store.stats();
            o.metrics.items(stats.items);
            o.metrics.payloadBytes(stats.payloadBytes);
            o.metrics.diskBytes(stats.diskBytes);
            o.metrics.head(stats.head);
            o.metrics.otpLocked(o.verifier.locked ? 1 : 0);
        });
    }

    listen(port: number, host: string): Promise<number> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, host, () => {
                this.server.off("error", reject);
                resolve((this.server.address() as { port: number }).port);
            });
        });
    }

    /** New certificate and key (a renewed Secret), for connections from now on. */
    setTls(cert: Buffer, key: Buffer): void {
        this.server.setSecureContext({ cert, key, minVersion: "TLSv1.3" });
    }

    /**
     * Stops taking pushes, gives open peer feeds up to `graceMs` to send everything written so
     * far (so a write acknowledged here just before a shutdown is already with the peers), then
     * closes every connection.
     */
    async shutdown(graceMs: number): Promise<void> {
        this.accepting = false;
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline && [...this.feeds].some((f) => f.peer !== undefined && f.sentSeq < this.o.store.head)) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        for (const feed of this.feeds) feed.stop();
        await new Promise<void>((resolve) => {
            this.server.close(() => resolve());
            this.server.closeAllConnections();
        });
    }

    private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? "/", "https://sync.invalid");
        const route = `${req.method} ${url.pathname}`;
        if (route === "GET /healthz") {
            return sendJson(res, this.o.store.failure ? 500 : 200, { status: this.o.store.failure ? "store-failed" : "alive", region: this.o.region });
        }
        if (route === "GET /readyz") {
            const ready = !this.o.store.failure && this.o.readiness.ready();
            return sendJson(res, ready ? 200 : 503, { ready, region: this.o.region, items: this.o.store.size, head: this.o.store.head, peers: this.o.readiness.status() });
        }
        if (route === "GET /metrics") {
            res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
            return void res.end(this.o.metrics.registry.render());
        }
        if (route === "POST /v1/items") return this.push(req, res);
        if (req.method === "GET" && url.pathname.startsWith("/v1/items/")) return this.read(req, res, url.pathname.slice("/v1/items/".length));
        if (route === "GET /v1/changes") return this.feed(req, res, url);
        sendJson(res, 404, { error: "not-found" });
    }

    /** Verifies the request's code; on refusal answers, counts and returns undefined. */
    private authorize(req: http.IncomingMessage, res: http.ServerResponse, peersAllowed: boolean): Caller | undefined {
        const peer = header(req, PEER_HEADER);
        const caller: Caller = peer === undefined ? { kind: "client" } : { kind: "peer", region: peer };
        if (caller.kind === "peer" && !peersAllowed) {
            this.refuse(req, res, 403, "not-allowed");
            return undefined;
        }
        const verdict = this.o.verifier.verify(header(req, OTP_HEADER), caller);
        if (verdict.ok) return caller;
        if (verdict.reason === "locked-out") {
            res.setHeader("retry-after", String(verdict.retryAfterSeconds ?? 60));
            this.refuse(req, res, 429, verdict.reason);
        } else {
            res.setHeader("www-authenticate", 'TOTP realm="cross-region-sync"');
            this.refuse(req, res, 401, verdict.reason);
        }
        return undefined;
    }

    private refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: RefusalReason): void {
        this.o.metrics.refusal(reason);
        this.o.log("warn", "request refused", { reason, path: pathOf(req), peer: header(req, PEER_HEADER) });
        // The body (if any) is not read: close the connection rather than drain it.
        res.setHeader("connection", "close");
        sendJson(res, status, { error: reason });
    }

    private async push(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        if (!this.accepting) return sendJson(res, 503, { error: "shutting-down" });
        if (!this.authorize(req, res, false)) return;
        res.writeHead(200, { "content-type": NDJSON, "cache-control": "no-store" });
        const send = (line: AckLine) => writeLine(res, line);
        let index = 0;
        let applied = 0;
        let refused = 0;
        const refuseItem = async (i: number, reason: RefusalReason, name?: string) => {
            refused += 1;
            this.o.metrics.refusal(reason);
            this.o.log("warn", "item refused", { reason, index: i, name });
            await send({ type: "refused", index: i, ...(name ? { name } : {}), reason });
        };
        // Base64 of the largest payload plus room for the name, metadata and JSON.
        const maxLine = Math.ceil(this.o.maxItemBytes / 3) * 4 + 64 * 1024;
        // Batches are handed to the store without waiting for the previous one's flush, so that
        // what arrives meanwhile joins the next flush (group commit); acks follow each flush, in order.
        const inflight: Promise<void>[] = [];
        let inflightBytes = 0;
        let failure: unknown;
        const commit = (accepted: { index: number; item: Item }[]) => {
            const bytes = accepted.reduce((sum, a) => sum + a.item.sealed.ct.length, 0);
            inflightBytes += bytes;
            const done = this.o.store.apply(accepted.map((a) => a.item)).then(async (results) => {
                inflightBytes -= bytes;
                for (const [k, result] of results.entries()) {
                    const { index: i, item } = accepted[k];
                    this.o.metrics.write("client", result.outcome);
                    if (result.outcome === "applied") {
                        applied += 1;
                        this.o.metrics.pushedBytes(item.sealed.ct.length);
                    }
                    await send({ type: "ack", index: i, name: item.name, status: result.outcome, version: result.version });
                }
            });
            inflight.push(done.catch((error) => void (failure ??= error)));
        };
        try {
            for await (const lines of lineBatches(req, maxLine)) {
                const accepted: { index: number; item: Item }[] = [];
                for (const line of lines) {
                    const i = index++;
                    let name: string | undefined;
                    try {
                        const parsed = parsePushLine(parseLine(line), this.o.maxItemBytes);
                        name = parsed.name;
                        if (!this.o.cipher.authentic(parsed.name, parsed.meta, parsed.sealed)) throw new InvalidItemError("tampered", "tampered");
                        accepted.push({ index: i, item: { ...parsed, version: this.o.clock.tick() } });
                    } catch (error) {
                        await refuseItem(i, error instanceof InvalidItemError ? error.reason : "invalid-item", name);
                    }
                }
                if (accepted.length > 0) commit(accepted);
                // Backpressure: stop reading while a lot is waiting for the disk.
                while (inflightBytes > PUSH_INFLIGHT_BYTES && inflight.length > 0) await inflight.shift();
                if (failure) throw failure;
            }
        } catch (error) {
            if (!(error instanceof LineTooLongError)) {
                await Promise.all(inflight);
                throw error;
            }
            await refuseItem(index, "too-large");
        }
        await Promise.all(inflight);
        if (failure) throw failure;
        await send({ type: "end", applied, refused });
        res.end();
        this.o.log("info", "push session ended", { applied, refused });
    }

    private async read(req: http.IncomingMessage, res: http.ServerResponse, encodedName: string): Promise<void> {
        if (!this.authorize(req, res, false)) return;
        let name: string;
        try {
            name = checkName(decodeURIComponent(encodedName));
        } catch {
            return sendJson(res, 400, { error: "invalid-name" });
        }
        const entry = this.o.store.get(name);
        const item = entry && this.o.store.readLive(entry);
        if (!item) return sendJson(res, 404, { error: "not-found" });
        sendJson(res, 200, { item: itemToWire(item) });
    }

    private async feed(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
        const since = Number(url.searchParams.get("since") ?? "0");
        if (!Number.isSafeInteger(since) || since < 0) return sendJson(res, 400, { error: "since must be a whole number >= 0" });
        const caller = this.authorize(req, res, true);
        if (!caller) return;
        const store = this.o.store;
        const storeParam = url.searchParams.get("store") ?? undefined;
        const follow = url.searchParams.get("follow") === "1";
        const reset = storeParam !== undefined && storeParam !== store.storeId;
        let cursor = reset ? 0 : Math.min(since, store.head);
        let stopped = false;
        let wake: () => void = () => undefined;
        const session: FeedSession = {
            peer: caller.kind === "peer" ? caller.region : undefined,
            sentSeq: cursor,
            stop: () => {
                stopped = true;
                wake();
            },
        };
        this.feeds.add(session);
        res.on("close", session.stop);
        const deadline = Date.now() + this.o.sessionMaxMs;
        const heartbeatMs = this.o.heartbeatMs ?? 5000;
        res.writeHead(200, { "content-type": NDJSON, "cache-control": "no-store" });
        const send = (line: FeedLine) => writeLine(res, line);
        try {
            await send({ type: "hello", region: this.o.region, store: store.storeId, head: store.head, reset });
            let caughtUp = false;
            while (!stopped) {
                const entries = store.changesSince(cursor, 256);
                if (entries.length > 0) {
                    for (const entry of entries) {
                        if (stopped) break;
                        // An entry replaced since the listing comes again later under its new sequence number.
                        const item = store.readLive(entry);
                        if (item) await writeRaw(res, feedItemLine(entry.seq, item));
                        cursor = entry.seq;
                        session.sentSeq = cursor;
                    }
                    continue;
                }
                cursor = Math.max(cursor, store.head);
                session.sentSeq = cursor;
                if (!caughtUp) {
                    caughtUp = true;
                    await send({ type: "caught-up", head: cursor });
                }
                if (!follow) break;
                const left = deadline - Date.now();
                if (left <= 0) {
                    await send({ type: "end", reason: "session-expired" });
                    break;
                }
                const event = await new Promise<"commit" | "timer" | "stop">((resolve) => {
                    const onCommit = () => finish("commit");
                    const timer = setTimeout(() => finish("timer"), Math.min(heartbeatMs, left));
                    const finish = (what: "commit" | "timer" | "stop") => {
                        clearTimeout(timer);
                        store.off("commit", onCommit);
                        resolve(what);
                    };
                    wake = () => finish("stop");
                    store.on("commit", onCommit);
                });
                if (event === "timer" && !stopped) await send({ type: "heartbeat", head: store.head });
            }
            if (stopped && !res.destroyed && !res.writableEnded) await send({ type: "end", reason: this.accepting ? "closed" : "shutting-down" });
        } finally {
            this.feeds.delete(session);
            if (!res.writableEnded) res.end();
        }
    }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

function pathOf(req: http.IncomingMessage): string {
    return (req.url ?? "/").split("?")[0];
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(`${JSON.stringify(body)}\n`);
}

/** Writes one NDJSON line, waiting while the peer is slow; returns at once when the connection is gone. */
function writeLine(res: http.ServerResponse, line: unknown): Promise<void> {
    return writeRaw(res, `${JSON.stringify(line)}\n`);
}

async function writeRaw(res: http.ServerResponse, text: string): Promise<void> {
    if (res.destroyed || res.writableEnded) return;
    if (!res.write(text)) {
        await Promise.race([once(res, "drain"), once(res, "close")]);
    }
}
