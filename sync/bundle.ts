/**
 * The sync service as one JavaScript file: sync/main.ts and everything it imports (otpauth
 * included) bundled by esbuild from the TypeScript sources, for the stock Node.js image. The
 * MultiRegionSync component puts it into a ConfigMap at program run time, so a fresh clone
 * needs no build step for it; the tests and the benchmark run the very same file.
 *
 * Starting esbuild costs about 0.2 s, paid by every program run at tier 3; so the bundle is kept
 * in node_modules/.cache/cross-region-sync/ with the list of files it was built from, and used
 * again while every one of them (and the esbuild version) is unchanged.
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

/** Bundling options that change the output; part of the cache key. */
const OPTIONS_VERSION = "1";

interface CacheEntry {
    key: string;
    inputs: string[];
    digest: string;
    code: string;
}

/** Hash of the given files' paths and contents (undefined when one is gone). */
function inputsDigest(root: string, inputs: string[]): string | undefined {
    const hash = crypto.createHash("sha256");
    for (const input of inputs) {
        const file = path.join(root, input);
        if (!fs.existsSync(file)) return undefined;
        hash.update(`${input}\0`).update(fs.readFileSync(file)).update("\0");
    }
    return hash.digest("hex");
}

function readCache(file: string, key: string, root: string): string | undefined {
    try {
        const entry = JSON.parse(fs.readFileSync(file, "utf8")) as CacheEntry;
        return entry.key === key && inputsDigest(root, entry.inputs) === entry.digest ? entry.code : undefined;
    } catch {
        return undefined;
    }
}

function writeCache(file: string, entry: CacheEntry): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(entry));
        fs.renameSync(tmp, file);
    } catch {
        // A cache that cannot be written only costs the next run a rebuild.
    }
}

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
    const esbuildVersion = (JSON.parse(fs.readFileSync(require.resolve("esbuild/package.json", { paths: [root] }), "utf8")) as { version: string }).version;
    const key = `${OPTIONS_VERSION}/${esbuildVersion}/${BUNDLE_TARGET}`;
    const cacheFile = path.join(root, "node_modules", ".cache", "cross-region-sync", "bundle.json");
    let code = readCache(cacheFile, key, root);
    if (code === undefined) {
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
            metafile: true,
            minifyWhitespace: true,
            minifySyntax: true,
            legalComments: "none",
            charset: "utf8",
            logLevel: "silent",
            banner: { js: "// cross-region sync service: bundle of sync/main.ts (ai-platform); generated, do not edit" },
        });
        code = result.outputFiles[0].text;
        const inputs = Object.keys(result.metafile.inputs).sort();
        const digest = inputsDigest(root, inputs);
        if (digest !== undefined) writeCache(cacheFile, { key, inputs, digest, code });
    }
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
