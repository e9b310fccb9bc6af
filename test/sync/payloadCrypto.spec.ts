/** Payload sealing: AES-256-GCM under an HKDF-derived key, bound to the item's name and metadata. */
import * as assert from "assert";
import * as crypto from "crypto";
import { MIN_KEY_MATERIAL_CHARS, PayloadCipher, TamperedError } from "../../sync/payloadCrypto";

const MATERIAL = "k".repeat(16) + crypto.randomBytes(24).toString("hex");

describe("sync: payload sealing", () => {
    const cipher = PayloadCipher.fromMaterial(MATERIAL);
    const plaintext = Buffer.from("pg_dump of the platform database");
    const sealed = cipher.seal("backups/db.dump", { kind: "pg_dump" }, plaintext);

    it("round-trips, with a fresh nonce every time and no plaintext in the ciphertext", () => {
        assert.deepStrictEqual(cipher.open("backups/db.dump", { kind: "pg_dump" }, sealed), plaintext);
        const again = cipher.seal("backups/db.dump", { kind: "pg_dump" }, plaintext);
        assert.notDeepStrictEqual(again.nonce, sealed.nonce);
        assert.ok(!sealed.ct.includes(Buffer.from("pg_dump")));
        assert.strictEqual(sealed.alg, "A256GCM");
        assert.strictEqual(sealed.tag.length, 16);
        assert.deepStrictEqual(cipher.open("empty", {}, cipher.seal("empty", {}, Buffer.alloc(0))), Buffer.alloc(0));
    });

    it("refuses a changed ciphertext, tag or nonce", () => {
        const flip = (b: Buffer) => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x)));
        for (const change of [{ ct: flip(sealed.ct) }, { tag: flip(sealed.tag) }, { nonce: flip(sealed.nonce) }]) {
            assert.throws(() => cipher.open("backups/db.dump", { kind: "pg_dump" }, { ...sealed, ...change }), TamperedError);
            assert.strictEqual(cipher.authentic("backups/db.dump", { kind: "pg_dump" }, { ...sealed, ...change }), false);
        }
    });

    it("refuses a payload moved to another name or relabelled", () => {
        assert.throws(() => cipher.open("backups/other.dump", { kind: "pg_dump" }, sealed), TamperedError);
        assert.throws(() => cipher.open("backups/db.dump", { kind: "neo4j" }, sealed), TamperedError);
        assert.throws(() => cipher.open("backups/db.dump", {}, sealed), TamperedError);
    });

    it("refuses a payload sealed with another key, and names keys by an id that is not the key", () => {
        const other = PayloadCipher.fromMaterial(`${MATERIAL}x`);
        assert.notStrictEqual(other.keyId, cipher.keyId);
        assert.strictEqual(PayloadCipher.fromMaterial(` ${MATERIAL}\n`).keyId, cipher.keyId, "surrounding whitespace of the file is ignored");
        assert.throws(() => other.open("backups/db.dump", { kind: "pg_dump" }, sealed), TamperedError);
        assert.ok(!MATERIAL.includes(cipher.keyId));
    });

    it(`refuses key material shorter than ${MIN_KEY_MATERIAL_CHARS} characters`, () => {
        assert.throws(() => PayloadCipher.fromMaterial("short"), /at least 32 characters/);
    });
});
