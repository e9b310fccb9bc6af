/**
 * End-to-end sealing of payloads with AES-256-GCM (Node's crypto). The key is derived with
 * HKDF-SHA256 from the gate's payload key material, a secret distinct from the TOTP seed, under
 * a label of its own. The additional authenticated data binds the ciphertext to its item name
 * and metadata, so a payload cannot be moved to another name or relabelled without detection.
 *
 * Writers seal before they push and readers open after they read; a relay only checks the tag
 * (decrypting into a buffer it drops) so that it can refuse tampered ciphertext.
 */
import * as crypto from "crypto";
import { Meta, NONCE_BYTES, SealedBytes, TAG_BYTES } from "./wire";

const HKDF_SALT = "ai-platform/cross-region-sync/v1";
const KEY_LABEL = "payload-key aes-256-gcm";
const KEY_ID_LABEL = "payload-key id";
const AAD_LABEL = "ai-platform-sync/v1";
/** Key material shorter than this is refused: it would be guessable. */
export const MIN_KEY_MATERIAL_CHARS = 32;

export class TamperedError extends Error {
    constructor() {
        super("the sealed payload does not authenticate (tampered, or sealed with another key)");
        this.name = "TamperedError";
    }
}

function hkdf(material: Buffer, label: string, length: number): Buffer {
    return Buffer.from(crypto.hkdfSync("sha256", material, HKDF_SALT, label, length));
}

/** The bytes the tag authenticates besides the ciphertext: protocol label, name, metadata in key order. */
export function additionalData(name: string, meta: Meta): Buffer {
    const entries = Object.keys(meta)
        .sort()
        .map((key) => [key, meta[key]]);
    return Buffer.from(JSON.stringify([AAD_LABEL, name, entries]), "utf8");
}

export class PayloadCipher {
    private readonly key: Buffer;
    /** Public identifier of the key (HKDF output under another label; reveals nothing of the key). */
    readonly keyId: string;

    private constructor(material: Buffer) {
        this.key = hkdf(material, KEY_LABEL, 32);
        this.keyId = hkdf(material, KEY_ID_LABEL, 8).toString("hex");
    }

    /** From the key material text of the gate's Secret (whitespace around it ignored). */
    static fromMaterial(material: string): PayloadCipher {
        const trimmed = material.trim();
        if (trimmed.length < MIN_KEY_MATERIAL_CHARS) {
            throw new Error(`the payload key material must be at least ${MIN_KEY_MATERIAL_CHARS} characters`);
        }
        return new PayloadCipher(Buffer.from(trimmed, "utf8"));
    }

    seal(name: string, meta: Meta, plaintext: Buffer): SealedBytes {
        const nonce = crypto.randomBytes(NONCE_BYTES);
        const cipher = crypto.createCipheriv("aes-256-gcm", this.key, nonce, { authTagLength: TAG_BYTES });
        cipher.setAAD(additionalData(name, meta));
        const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
        return { alg: "A256GCM", kid: this.keyId, nonce, tag: cipher.getAuthTag(), ct };
    }

    /** The plaintext; throws TamperedError when the payload, its name or its metadata was changed. */
    open(name: string, meta: Meta, sealed: SealedBytes): Buffer {
        if (sealed.alg !== "A256GCM" || sealed.kid !== this.keyId || sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) {
            throw new TamperedError();
        }
        const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, sealed.nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(name, meta));
        decipher.setAuthTag(sealed.tag);
        try {
            return Buffer.concat([decipher.update(sealed.ct), decipher.final()]);
        } catch {
            throw new TamperedError();
        }
    }

    /** True when the payload authenticates; the plaintext is dropped at once. */
    authentic(name: string, meta: Meta, sealed: SealedBytes): boolean {
        try {
            this.open(name, meta, sealed).fill(0);
            return true;
        } catch {
            return false;
        }
    }
}
