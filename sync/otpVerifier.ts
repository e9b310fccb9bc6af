/**
 * OTP verification of every sync request (RFC 6238 through contract/totp.ts).
 *
 * Two kinds of callers:
 * - clients (backup jobs, operators) send the code of the gate's seed itself, as an
 *   authenticator app shows it;
 * - peers (the other regions' relays) send the code of a link secret derived from the seed with
 *   HKDF for that one direction (`<from> -> <to>`), naming themselves in a header. A code seen on
 *   one link is worthless on any other, and peers never compete with clients for codes.
 *
 * Each code (link + time step) is accepted once in this region; the used steps, the recent wrong
 * codes and a lockout are kept in `<dataDir>/otp-state.json` (replaced atomically), so a restart
 * neither reopens a used code nor lifts a lockout. `maxWrongCodes` wrong or malformed codes
 * within `wrongCodeWindowMinutes` lock every OTP-gated request of the region for
 * `lockoutMinutes` (the driver's figures). Missing codes, replays and unknown peers are refused
 * without counting as wrong codes.
 */
import * as crypto from "crypto";
import type * as OTPAuth from "otpauth";
import { counterExpiresAt, matchedCounter, OtpLockoutPolicy, seedBytes, totpFromBase32, totpFromBytes } from "../contract/totp";
import { readJsonFile, writeFileAtomic } from "./atomicFile";
import type { RefusalReason } from "./wire";

const LINK_SALT = "ai-platform/cross-region-sync/v1";

/** TOTP generator of the link from region `from` to region `to`. */
export function peerLinkTotp(seed: string, from: string, to: string): OTPAuth.TOTP {
    const bytes = Buffer.from(crypto.hkdfSync("sha256", seedBytes(seed), LINK_SALT, `peer-otp ${from} -> ${to}`, 20));
    return totpFromBytes(bytes);
}

export type Caller = { kind: "client" } | { kind: "peer"; region: string };

export type Verdict = { ok: true } | { ok: false; reason: Extract<RefusalReason, "missing-code" | "malformed-code" | "wrong-code" | "replayed-code" | "locked-out" | "unknown-peer">; retryAfterSeconds?: number };

interface OtpState {
    used: { key: string; expiresAt: number }[];
    wrongCodes: number[];
    lockedUntil?: number;
}

export interface OtpVerifierOptions {
    seed: string;
    /** This region. */
    region: string;
    /** Regions allowed to call as peers. */
    peers: string[];
    policy: OtpLockoutPolicy;
    /** Where the bookkeeping is kept (undefined: memory only, for tests). */
    stateFile?: string;
    now?: () => number;
}

export class OtpVerifier {
    private readonly clientTotp: OTPAuth.TOTP;
    private readonly peerTotps = new Map<string, OTPAuth.TOTP>();
    private readonly state: OtpState;
    private readonly now: () => number;

    constructor(private readonly options: OtpVerifierOptions) {
        this.clientTotp = totpFromBase32(options.seed);
        for (const peer of options.peers) this.peerTotps.set(peer, peerLinkTotp(options.seed, peer, options.region));
        this.now = options.now ?? Date.now;
        const saved = options.stateFile ? readJsonFile<OtpState>(options.stateFile) : undefined;
        this.state = { used: saved?.used ?? [], wrongCodes: saved?.wrongCodes ?? [], lockedUntil: saved?.lockedUntil };
    }

    /** True while the region is locked out. */
    get locked(): boolean {
        return this.state.lockedUntil !== undefined && this.state.lockedUntil > this.now();
    }

    verify(code: string | undefined, caller: Caller): Verdict {
        const now = this.now();
        this.prune(now);
        if (this.state.lockedUntil !== undefined && this.state.lockedUntil > now) {
            return { ok: false, reason: "locked-out", retryAfterSeconds: Math.ceil((this.state.lockedUntil - now) / 1000) };
        }
        if (code === undefined || code.trim() === "") return { ok: false, reason: "missing-code" };
        const totp = caller.kind === "client" ? this.clientTotp : this.peerTotps.get(caller.region);
        if (!totp) return { ok: false, reason: "unknown-peer" };
        const trimmed = code.trim();
        if (!/^\d{6}$/.test(trimmed)) return this.wrong(now, "malformed-code");
        const counter = matchedCounter(totp, trimmed, now);
        if (counter === undefined) return this.wrong(now, "wrong-code");
        const key = `${caller.kind === "client" ? "client" : `peer:${caller.region}`}:${counter}`;
        if (this.state.used.some((u) => u.key === key)) return { ok: false, reason: "replayed-code" };
        this.state.used.push({ key, expiresAt: counterExpiresAt(counter) });
        this.save();
        return { ok: true };
    }

    private wrong(now: number, reason: "malformed-code" | "wrong-code"): Verdict {
        this.state.wrongCodes.push(now);
        if (this.state.wrongCodes.length >= this.options.policy.maxWrongCodes) {
            this.state.lockedUntil = now + this.options.policy.lockoutMinutes * 60_000;
            this.state.wrongCodes = [];
        }
        this.save();
        return { ok: false, reason };
    }

    private prune(now: number): void {
        const windowStart = now - this.options.policy.wrongCodeWindowMinutes * 60_000;
        this.state.used = this.state.used.filter((u) => u.expiresAt > now);
        this.state.wrongCodes = this.state.wrongCodes.filter((t) => t > windowStart);
        if (this.state.lockedUntil !== undefined && this.state.lockedUntil <= now) delete this.state.lockedUntil;
    }

    private save(): void {
        if (this.options.stateFile) writeFileAtomic(this.options.stateFile, JSON.stringify(this.state));
    }
}
