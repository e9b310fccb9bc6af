/**
 * The sync service as one JavaScript file: sync/main.ts and everything it imports (otpauth
 * included) bundled by esbuild from the TypeScript sources, for the stock Node.js image. The
 * MultiRegionSync component puts it into a ConfigMap at program run time, so a fresh clone
 * needs no build step for it; the tests and the benchmark run the very same file.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** File name of the bundle inside its ConfigMap / mount. */
export const BUNDLE_FILE_NAME = "sync-service.js";
/** A ConfigMap holds at most 1 MiB; keep room for the object's other fields. */
export const BUNDLE_LIMIT_BYTES = 900 * 1024;
/** Node.js release the bundle targets (the image's major version). */
export const BUNDLE_TARGET = "node22";

export interface SyncBundle {
    code: string;
    /** Hex SHA-256 of `code` (names the ConfigMap, rolls the pods when the code changes). */
    sha256: string;
    bytes: number;
}

let cached: SyncBundle | undefined;

/** The folder holding sync/main.ts above `from` (the repository, or a copy of the program). */
export function sourceRoot(from: string = __dirname): string {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "sync", "main.ts"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`sync/main.ts not found above ${from}: the sync service's sources must be next to the program`);
    }
}

/** Builds (once per process) the bundle of sync/main.ts. */
export function syncServiceBundle(): SyncBundle {
    if (cached) return cached;
    const root = sourceRoot();
    // Loaded here, not at the top: only tier-3 programs, the tests and the bench need esbuild.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require("esbuild") as typeof import("esbuild");
    const result = esbuild.buildSync({
        entryPoints: [path.join("sync", "main.ts")],
        absWorkingDir: root,
        bundle: true,
        platform: "node",
        target: BUNDLE_TARGET,
        format: "cjs",
        write: false,
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: "none",
        charset: "utf8",
        logLevel: "silent",
        banner: { js: "// cross-region sync service: bundle of sync/main.ts (ai-platform); generated, do not edit" },
    });
    const code = result.outputFiles[0].text;
    const bytes = Buffer.byteLength(code);
    if (bytes > BUNDLE_LIMIT_BYTES) {
        throw new Error(`the sync service bundle is ${bytes} bytes, over the ${BUNDLE_LIMIT_BYTES} that fit a ConfigMap (1 MiB); trim its dependencies`);
    }
    cached = { code, sha256: crypto.createHash("sha256").update(code).digest("hex"), bytes };
    return cached;
}

/** Writes the bundle to `file` (tests, benchmark, or `node dist/sync/bundle.js <file>`). */
export function writeSyncServiceBundle(file: string): SyncBundle {
    const bundle = syncServiceBundle();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bundle.code);
    return bundle;
}

if (require.main === module) {
    const out = process.argv[2] ?? path.join(sourceRoot(), "dist", "sync-bundle", BUNDLE_FILE_NAME);
    const bundle = writeSyncServiceBundle(out);
    process.stdout.write(`${out}: ${bundle.bytes} bytes, sha256 ${bundle.sha256}\n`);
}
