/** The one-file bundle the MultiRegionSync ConfigMap carries (and the relay tests run). */
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BUNDLE_LIMIT_BYTES, sourceRoot, syncServiceBundle } from "../../sync/bundle";

describe("sync: service bundle", function () {
    this.timeout(60_000);
    const bundle = syncServiceBundle();

    it("fits a ConfigMap (1 MiB) with room to spare", () => {
        assert.ok(bundle.bytes < BUNDLE_LIMIT_BYTES, `${bundle.bytes} bytes`);
        assert.ok(BUNDLE_LIMIT_BYTES < 1024 * 1024);
    });
    it("is named by the hash of its code", () => {
        assert.strictEqual(bundle.sha256, crypto.createHash("sha256").update(bundle.code).digest("hex"));
    });
    it("holds the service and its TOTP library, and nothing of the Pulumi program", () => {
        assert.match(bundle.code, /x-sync-otp/);
        assert.match(bundle.code, /aes-256-gcm/);
        assert.ok(!/@pulumi\//.test(bundle.code), "the bundle must not pull in the Pulumi SDK");
        assert.ok(!/esbuild/.test(bundle.code.slice(200)), "nor the bundler");
    });
    it("is kept in a cache with the files it was built from, so program runs skip the bundler", () => {
        const entry = JSON.parse(fs.readFileSync(path.join(sourceRoot(), "node_modules", ".cache", "cross-region-sync", "bundle.json"), "utf8"));
        assert.strictEqual(entry.code, bundle.code);
        for (const input of ["sync/main.ts", "sync/store.ts", "contract/markers.ts", "contract/totp.ts"]) assert.ok(entry.inputs.includes(input), input);
        assert.ok(entry.inputs.some((i: string) => i.startsWith("node_modules/otpauth/")));
    });
});
