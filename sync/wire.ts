/**
 * The wire protocol of the cross-region sync (HTTPS, TLS 1.3, JSON / NDJSON bodies):
 *
 *   POST /v1/items            push session (client code): NDJSON `PushLine`s in, `AckLine`s out,
 *                             each ack written after the item is on disk
 *   GET  /v1/items/<name>     one item as `{ item: WireItem }` (client code)
 *   GET  /v1/changes?since=<seq>&store=<id>[&follow=1]
 *                             the change feed as NDJSON `FeedLine`s (client code, or a peer's
 *                             link code with the peer header); with follow, a session that
 *                             streams new writes until it expires
 *   GET  /healthz /readyz /metrics   no code (liveness, caught-up-with-peers, Prometheus)
 *
 * Payloads travel and rest sealed (AES-256-GCM, base64 on the wire); the service never sees a
 * plaintext it keeps. Validation here turns untrusted JSON into typed items or a refusal reason.
 */

export const OTP_HEADER = "x-sync-otp";
export const PEER_HEADER = "x-sync-peer";

/** Reasons a request, an item or a connection is refused; each is a label of `sync_refusals_total`. */
export const REFUSAL_REASONS = [
    "missing-code",
    "malformed-code",
    "wrong-code",
    "replayed-code",
    "locked-out",
    "unknown-peer",
    "not-allowed",
    "tampered",
    "invalid-item",
    "too-large",
    "clock-skew",
    "tls-version",
    "tls-handshake",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * Version of a write: hybrid logical clock (wall ms + logical counter) of the region that
 * accepted it, with the region as the deterministic tie-break.
 */
export interface Version {
    wall: number;
    logical: number;
    region: string;
}

export type Meta = Record<string, string>;

/** AES-256-GCM output as bytes. */
export interface SealedBytes {
    alg: "A256GCM";
    /** Identifies the payload key (derived from it, not the key itself). */
    kid: string;
    nonce: Buffer;
    tag: Buffer;
    ct: Buffer;
}

/** A stored item: its name, metadata, version and sealed payload. */
export interface Item {
    name: string;
    meta: Meta;
    version: Version;
    sealed: SealedBytes;
}

export interface WireSealed {
    alg: "A256GCM";
    kid: string;
    nonce: string;
    tag: string;
    ct: string;
}

export interface WireItem {
    name: string;
    meta: Meta;
    version: Version;
    sealed: WireSealed;
}

/** One line of a push session's request body. */
export interface PushLine {
    name: string;
    meta?: Meta;
    sealed: WireSealed;
}

export type AckStatus = "applied" | "unchanged" | "superseded";

export type AckLine =
    | { type: "ack"; index: number; name: string; status: AckStatus; version: Version }
    | { type: "refused"; index: number; name?: string; reason: RefusalReason }
    | { type: "end"; applied: number; refused: number };

export type FeedLine =
    | { type: "hello"; region: string; store: string; head: number; reset: boolean }
    | { type: "item"; seq: number; item: WireItem }
    | { type: "caught-up"; head: number }
    | { type: "heartbeat"; head: number }
    | { type: "end"; reason: string };

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,511}$/;
export const REGION_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const META_KEY = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_META_ENTRIES = 32;
const MAX_META_VALUE = 1024;

const KID = /^[0-9a-f]{16}$/;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export class InvalidItemError extends Error {
    constructor(
        message: string,
        readonly reason: RefusalReason = "invalid-item",
    ) {
        super(message);
        this.name = "InvalidItemError";
    }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function checkName(name: unknown): string {
    if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
        throw new InvalidItemError("the name must be 1-512 characters of A-Z a-z 0-9 . _ : / @ + = -, starting with a letter or digit");
    }
    return name;
}

export function checkMeta(meta: unknown): Meta {
    if (meta === undefined) return {};
    if (!isObject(meta)) throw new InvalidItemError("meta must be an object of strings");
    const entries = Object.entries(meta);
    if (entries.length > MAX_META_ENTRIES) throw new InvalidItemError(`meta holds at most ${MAX_META_ENTRIES} entries`);
    const result: Meta = {};
    for (const [key, value] of entries) {
        if (!META_KEY.test(key) || typeof value !== "string" || value.length > MAX_META_VALUE) {
            throw new InvalidItemError(`meta keys are 1-64 characters of A-Z a-z 0-9 . _ -, values strings of at most ${MAX_META_VALUE} characters`);
        }
        result[key] = value;
    }
    return result;
}

export function checkVersion(version: unknown): Version {
    if (
        !isObject(version) ||
        !Number.isSafeInteger(version.wall) ||
        (version.wall as number) < 0 ||
        !Number.isSafeInteger(version.logical) ||
        (version.logical as number) < 0 ||
        typeof version.region !== "string" ||
        !REGION_PATTERN.test(version.region)
    ) {
        throw new InvalidItemError("the version must be { wall, logical, region }");
    }
    return { wall: version.wall as number, logical: version.logical as number, region: version.region };
}

function base64Field(value: unknown, what: string, bytes?: number): Buffer {
    if (typeof value !== "string") throw new InvalidItemError(`sealed.${what} must be base64`);
    // Canonical base64 only: Node's decoder skips stray characters, so compare the round trip
    // (native code; a regular expression over megabytes of payload costs more than the cipher).
    const decoded = Buffer.from(value, "base64");
    if (decoded.toString("base64") !== value) throw new InvalidItemError(`sealed.${what} must be base64`);
    if (bytes !== undefined && decoded.length !== bytes) throw new InvalidItemError(`sealed.${what} must be ${bytes} bytes`);
    return decoded;
}

/** Decodes a sealed payload; `maxCiphertextBytes` bounds the payload. */
export function checkSealed(sealed: unknown, maxCiphertextBytes: number): SealedBytes {
    if (!isObject(sealed) || sealed.alg !== "A256GCM" || typeof sealed.kid !== "string" || !KID.test(sealed.kid)) {
        throw new InvalidItemError('sealed must be { alg: "A256GCM", kid, nonce, tag, ct }');
    }
    if (typeof sealed.ct === "string" && (sealed.ct.length / 4) * 3 > maxCiphertextBytes + 3) {
        throw new InvalidItemError(`the payload is larger than ${maxCiphertextBytes} bytes`, "too-large");
    }
    const ct = base64Field(sealed.ct, "ct");
    if (ct.length > maxCiphertextBytes) throw new InvalidItemError(`the payload is larger than ${maxCiphertextBytes} bytes`, "too-large");
    return { alg: "A256GCM", kid: sealed.kid, nonce: base64Field(sealed.nonce, "nonce", NONCE_BYTES), tag: base64Field(sealed.tag, "tag", TAG_BYTES), ct };
}

export function sealedToWire(sealed: SealedBytes): WireSealed {
    return { alg: sealed.alg, kid: sealed.kid, nonce: sealed.nonce.toString("base64"), tag: sealed.tag.toString("base64"), ct: sealed.ct.toString("base64") };
}

export function itemToWire(item: Item): WireItem {
    return { name: item.name, meta: item.meta, version: item.version, sealed: sealedToWire(item.sealed) };
}

/**
 * The NDJSON line of a feed item, built around the base64 payload rather than through
 * JSON.stringify, which would copy and scan the largest part again (base64 needs no escaping).
 */
export function feedItemLine(seq: number, item: Item): string {
    const head = JSON.stringify({ name: item.name, meta: item.meta, version: item.version });
    const sealed = `{"alg":"A256GCM","kid":${JSON.stringify(item.sealed.kid)},"nonce":"${item.sealed.nonce.toString("base64")}","tag":"${item.sealed.tag.toString("base64")}","ct":"`;
    return `{"type":"item","seq":${seq},"item":${head.slice(0, -1)},"sealed":${sealed}${item.sealed.ct.toString("base64")}"}}}\n`;
}

/** A push line (no version yet: the accepting region assigns it). */
export function parsePushLine(value: unknown, maxCiphertextBytes: number): Omit<Item, "version"> {
    if (!isObject(value)) throw new InvalidItemError("each line must be a JSON object { name, meta, sealed }");
    return { name: checkName(value.name), meta: checkMeta(value.meta), sealed: checkSealed(value.sealed, maxCiphertextBytes) };
}

/** An item as a peer's feed or a read returns it. */
export function parseWireItem(value: unknown, maxCiphertextBytes: number): Item {
    if (!isObject(value)) throw new InvalidItemError("an item must be a JSON object { name, meta, version, sealed }");
    return { ...parsePushLine(value, maxCiphertextBytes), version: checkVersion(value.version) };
}
