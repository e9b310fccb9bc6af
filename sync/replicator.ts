/**
 * Replication: this region pulls every peer's change feed (`GET /v1/changes?follow=1`) and
 * applies what it receives. Each feed session is one request with a fresh code of the link
 * `<this region> -> <peer>`; it streams the backlog from the saved cursor, says `caught-up`, then
 * streams new writes as the peer commits them, until the session expires and a new one starts.
 *
 * Because every region re-serves what it applied, a write reaches all regions even when two of
 * them cannot talk directly. Items are checked again on arrival (format, clock, tag), applied
 * last-write-wins, and the cursor moves only after they are on disk, so a crash at any point
 * re-reads at most a few items, which applying again leaves unchanged.
 *
 * Cursors (per peer: the peer's store id and sequence number) and the last code step used on
 * each link are kept in `<dataDir>/peers.json`. A peer whose store id changed (it lost its disk)
 * is read again from the start. A region that was down resumes from its cursors on return.
 */
import * as http from "http";
import type * as OTPAuth from "otpauth";
import { codeForCounter, TOTP_PARAMETERS, totpCounter } from "../contract/totp";
import { readJsonFile, writeFileAtomic } from "./atomicFile";
import { HybridClock } from "./hlc";
import { openRequest, readText } from "./httpsClient";
import { errorText, Logger } from "./log";
import { SyncMetrics } from "./metrics";
import { lineBatches, parseLine } from "./ndjson";
import { peerLinkTotp } from "./otpVerifier";
import { PayloadCipher } from "./payloadCrypto";
import { SyncStore } from "./store";
import { InvalidItemError, Item, OTP_HEADER, parseWireItem, PEER_HEADER } from "./wire";

/** Payload bytes received from a peer that may wait for the disk before the feed stops being read. */
const FEED_INFLIGHT_BYTES = 8 * 2 ** 20;

export interface Peer {
    region: string;
    url: string;
}

interface SavedPeer {
    store?: string;
    seq: number;
    lastCounter: number;
}

interface PeerState extends Peer {
    totp: OTPAuth.TOTP;
    cursor: { store?: string; seq: number };
    lastCounter: number;
    connected: boolean;
    caughtUp: boolean;
    caughtUpOnce: boolean;
    consecutiveFailures: number;
    lastContact?: number;
    peerHead: number;
    lastError?: string;
    abort?: () => void;
}

export interface ReplicatorOptions {
    region: string;
    peers: Peer[];
    seed: string;
    ca?: Buffer;
    store: SyncStore;
    cipher: PayloadCipher;
    clock: HybridClock;
    metrics: SyncMetrics;
    log: Logger;
    maxItemBytes: number;
    /** Where cursors are kept (undefined: memory only). */
    stateFile?: string;
    /** A feed silent for this long is dropped and reopened (the server sends heartbeats every 5 s). */
    silenceMs?: number;
    /** Consecutive failed attempts after which a peer counts as unreachable for readiness. */
    unreachableAfter?: number;
}

class PeerRefused extends Error {
    constructor(
        readonly status: number,
        readonly reason: string,
        readonly retryAfterMs?: number,
    ) {
        super(`the peer refused the feed session: ${status} ${reason}`);
    }
}


export class Replicator {
    private readonly peers: PeerState[];
    private stopped = false;
    private loops: Promise<void>[] = [];
    private lastSave = 0;
    private saveTimer?: NodeJS.Timeout;
    private wakeSleepers = new Set<() => void>();

    constructor(private readonly o: ReplicatorOptions) {
        const saved = (o.stateFile ? readJsonFile<Record<string, SavedPeer>>(o.stateFile) : undefined) ?? {};
        this.peers = o.peers.map((peer) => ({
            ...peer,
            totp: peerLinkTotp(o.seed, o.region, peer.region),
            cursor: { store: saved[peer.region]?.store, seq: saved[peer.region]?.seq ?? 0 },
            lastCounter: saved[peer.region]?.lastCounter ?? 0,
            connected: false,
            caughtUp: false,
            caughtUpOnce: false,
            consecutiveFailures: 0,
            peerHead: 0,
        }));
        o.metrics.registry.onCollect(() => {
            const now = Date.now();
            for (const p of this.peers) {
                o.metrics.peerLagItems(p.region, Math.max(0, p.peerHead - p.cursor.seq));
                o.metrics.peerLastContactSeconds(p.region, p.lastContact === undefined ? -1 : Math.round((now - p.lastContact) / 100) / 10);
                o.metrics.peerConnected(p.region, p.connected ? 1 : 0);
                o.metrics.peerCaughtUp(p.region, p.connected && p.caughtUp ? 1 : 0);
            }
        });
    }

    start(): void {
        this.loops = this.peers.map((peer) => this.run(peer));
    }

    async stop(): Promise<void> {
        this.stopped = true;
        for (const peer of this.peers) peer.abort?.();
        for (const wake of this.wakeSleepers) wake();
        await Promise.all(this.loops);
        if (this.saveTimer) clearTimeout(this.saveTimer);
        this.save();
    }

    /**
     * Caught up with every peer: each one has either reported `caught-up` and had nothing newer
     * since (or is gone after that), or cannot be reached at all (a region down must not keep the
     * others from serving).
     */
    ready(): boolean {
        const unreachableAfter = this.o.unreachableAfter ?? 3;
        return this.peers.every((p) => (p.connected ? p.caughtUp : p.caughtUpOnce || p.consecutiveFailures >= unreachableAfter));
    }

    status(): Record<string, unknown>[] {
        return this.peers.map((p) => ({
            region: p.region,
            connected: p.connected,
            caughtUp: p.caughtUp,
            cursor: p.cursor.seq,
            peerHead: p.peerHead,
            lag: Math.max(0, p.peerHead - p.cursor.seq),
            consecutiveFailures: p.consecutiveFailures,
            ...(p.lastError ? { lastError: p.lastError } : {}),
        }));
    }

    private async pause(ms: number): Promise<void> {
        await new Promise<void>((resolve) => {
            const done = () => {
                clearTimeout(timer);
                this.wakeSleepers.delete(done);
                resolve();
            };
            const timer = setTimeout(done, ms);
            this.wakeSleepers.add(done);
        });
    }

    private async run(peer: PeerState): Promise<void> {
        let backoff = 250;
        while (!this.stopped) {
            const step = await this.nextStep(peer);
            if (step === undefined) break;
            try {
                await this.session(peer, step);
                peer.consecutiveFailures = 0;
                peer.lastError = undefined;
                backoff = 250;
            } catch (error) {
                if (this.stopped) break;
                peer.consecutiveFailures += 1;
                const kind = error instanceof PeerRefused ? `refused-${error.reason}` : "unreachable";
                peer.lastError = error instanceof PeerRefused ? error.reason : errorText(error);
                this.o.metrics.peerErrors(peer.region, kind);
                if (peer.consecutiveFailures === 1 || peer.consecutiveFailures % 20 === 0) {
                    this.o.log("warn", "peer feed failed", { peer: peer.region, kind, error: peer.lastError, failures: peer.consecutiveFailures });
                }
                const wait = error instanceof PeerRefused && error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, 60_000) : backoff;
                await this.pause(wait * (0.8 + Math.random() * 0.4));
                backoff = Math.min(backoff * 2, 5000);
            } finally {
                peer.connected = false;
                peer.abort = undefined;
            }
        }
    }

    /**
     * The next unused time step of the link (this one, else the next: a peer accepts one step of
     * drift), waiting for a new step when both are used. Undefined once stopped.
     */
    private async nextStep(peer: PeerState): Promise<number | undefined> {
        while (!this.stopped) {
            const now = Date.now();
            const current = totpCounter(now);
            const step = [current, current + 1].find((c) => c > peer.lastCounter);
            if (step !== undefined) return step;
            await this.pause((current + 1) * TOTP_PARAMETERS.period * 1000 - now + 50);
        }
        return undefined;
    }

    private async session(peer: PeerState, step: number): Promise<void> {
        const query = new URLSearchParams({ since: String(peer.cursor.seq), follow: "1", ...(peer.cursor.store ? { store: peer.cursor.store } : {}) });
        const url = new URL(`/v1/changes?${query}`, peer.url);
        const previousCounter = peer.lastCounter;
        peer.lastCounter = step;
        this.save(true);
        const open = openRequest(url, {
            method: "GET",
            headers: { [OTP_HEADER]: codeForCounter(peer.totp, step), [PEER_HEADER]: this.o.region, accept: "application/x-ndjson" },
            ca: this.o.ca,
        });
        peer.abort = () => open.req.destroy(new Error("stopped"));
        open.req.end();
        // A peer that takes the connection but never answers (a black hole) fails like one that refuses it.
        const silenceMs = this.o.silenceMs ?? 20_000;
        const answerTimer = setTimeout(() => open.req.destroy(new Error("the peer did not answer")), silenceMs);
        let res: http.IncomingMessage;
        try {
            res = await open.response;
        } catch (error) {
            // A code never sent (no TLS session with the peer) may still be used for the next attempt.
            if (!open.reachedServer() && peer.lastCounter === step) {
                peer.lastCounter = previousCounter;
                this.save(true);
            }
            throw error;
        } finally {
            clearTimeout(answerTimer);
        }
        if (res.statusCode !== 200) {
            const body = await readText(res, 64 * 1024).catch(() => "");
            const reason = (parseLine(body) as { error?: string } | undefined)?.error ?? `status-${res.statusCode}`;
            const retryAfter = Number(res.headers["retry-after"]);
            throw new PeerRefused(res.statusCode ?? 0, reason, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
        }
        peer.connected = true;
        peer.lastContact = Date.now();
        let watchdog = setTimeout(() => res.destroy(new Error("the peer's feed went silent")), silenceMs);
        const maxLine = Math.ceil(this.o.maxItemBytes / 3) * 4 + 64 * 1024;
        // Batches go to the store as they arrive (it flushes what is waiting together); the
        // cursor follows each flush in order, and control lines wait for the flushes before them.
        let flushed: Promise<void> = Promise.resolve();
        try {
            let pending: { seq: number; item?: Item }[] = [];
            let inflightBytes = 0;
            let seen = 0;
            const flush = () => {
                if (pending.length === 0) return;
                const batch = pending;
                pending = [];
                const items = batch.filter((p) => p.item !== undefined).map((p) => p.item!);
                const bytes = items.reduce((sum, item) => sum + item.sealed.ct.length, 0);
                for (const item of items) this.o.clock.observe(item.version);
                inflightBytes += bytes;
                const applying = items.length > 0 ? this.o.store.apply(items) : Promise.resolve([]);
                applying.catch(() => undefined);
                flushed = flushed.then(async () => {
                    const results = await applying;
                    for (const r of results) this.o.metrics.write("peer", r.outcome);
                    inflightBytes -= bytes;
                    peer.cursor.seq = Math.max(peer.cursor.seq, batch[batch.length - 1].seq);
                    this.save();
                });
            };
            const settle = async () => {
                flush();
                await flushed;
            };
            for await (const lines of lineBatches(res, maxLine)) {
                clearTimeout(watchdog);
                watchdog = setTimeout(() => res.destroy(new Error("the peer's feed went silent")), silenceMs);
                peer.lastContact = Date.now();
                for (const line of lines) {
                    const message = parseLine(line) as Record<string, any> | undefined;
                    if (message?.type === "item" && Number.isSafeInteger(message.seq)) {
                        seen = Math.max(seen, message.seq);
                        pending.push({ seq: message.seq, item: this.accept(peer, message.item) });
                        continue;
                    }
                    await settle();
                    if (message?.type === "hello") {
                        if (message.store !== peer.cursor.store) {
                            if (peer.cursor.store !== undefined) this.o.log("warn", "peer store changed, reading its feed from the start", { peer: peer.region });
                            peer.cursor = { store: String(message.store), seq: 0 };
                        }
                        peer.peerHead = Number(message.head) || 0;
                        peer.caughtUp = peer.peerHead <= peer.cursor.seq;
                    } else if (message?.type === "caught-up") {
                        peer.peerHead = Number(message.head) || 0;
                        peer.cursor.seq = Math.max(peer.cursor.seq, peer.peerHead);
                        peer.caughtUp = true;
                        peer.caughtUpOnce = true;
                        this.save();
                    } else if (message?.type === "heartbeat") {
                        peer.peerHead = Math.max(peer.peerHead, Number(message.head) || 0);
                    } else if (message?.type === "end") {
                        return;
                    }
                }
                flush();
                // Backpressure: stop reading while a lot is waiting for the disk.
                if (inflightBytes > FEED_INFLIGHT_BYTES) await flushed;
                peer.peerHead = Math.max(peer.peerHead, seen);
            }
            await settle();
        } finally {
            clearTimeout(watchdog);
            // A failed flush ends the session above; one still running when the feed broke must not go unobserved.
            flushed.catch(() => undefined);
        }
    }

    /** A replicated item, checked like a pushed one; undefined (counted, logged) when refused. */
    private accept(peer: PeerState, value: unknown): Item | undefined {
        try {
            const item = parseWireItem(value, this.o.maxItemBytes);
            if (this.o.clock.tooFarAhead(item.version)) throw new InvalidItemError("the version is too far in the future", "clock-skew");
            if (!this.o.cipher.authentic(item.name, item.meta, item.sealed)) throw new InvalidItemError("tampered", "tampered");
            return item;
        } catch (error) {
            const reason = error instanceof InvalidItemError ? error.reason : "invalid-item";
            this.o.metrics.refusal(reason);
            this.o.log("warn", "replicated item refused", { peer: peer.region, reason });
            return undefined;
        }
    }

    /** Persists cursors and code steps: at once when `now`, else at most once a second. */
    private save(now = false): void {
        if (!this.o.stateFile) return;
        const elapsed = Date.now() - this.lastSave;
        if (!now && elapsed < 1000) {
            this.saveTimer ??= setTimeout(() => {
                this.saveTimer = undefined;
                this.save(true);
            }, 1000 - elapsed);
            return;
        }
        this.lastSave = Date.now();
        const state: Record<string, SavedPeer> = {};
        for (const p of this.peers) state[p.region] = { store: p.cursor.store, seq: p.cursor.seq, lastCounter: p.lastCounter };
        writeFileAtomic(this.o.stateFile, JSON.stringify(state));
    }
}
