import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../support/repoRoot";

/** Runs `script` in a fresh Node.js process (this one has loaded TypeScript already) and returns its JSON output. */
function inFreshProcess(script: string): any {
    const run = spawnSync(process.execPath, ["-e", script], { cwd: repoRoot(), encoding: "utf8" });
    assert.strictEqual(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
}

describe("policies/shared/nodeStartup", () => {
    const startup = JSON.stringify(path.join(repoRoot(), "dist", "policies", "shared", "nodeStartup"));

    it("lets @pulumi/pulumi load without the TypeScript compiler, which loads at its first use", () => {
        const result = inFreshProcess(`
            const { isProxy } = require("util").types;
            require(${startup});
            const pulumi = require("@pulumi/pulumi");
            const file = require.resolve("typescript", { paths: [require("path").dirname(require.resolve("@pulumi/pulumi/package.json"))] });
            const deferred = isProxy(require.cache[file].exports);
            const ts = require("typescript");
            const version = ts.version;
            const loadedOnUse = !isProxy(require.cache[file].exports);
            const exportsListed = Object.keys(ts).length;
            const compiles = ts.transpileModule("const x: number = 1;", {}).outputText.trim();
            console.log(JSON.stringify({ deferred, version, loadedOnUse, exportsListed, compiles, sdk: typeof pulumi.Output }));`);
        assert.deepStrictEqual(result, {
            deferred: true,
            version: require("typescript").version,
            loadedOnUse: true,
            exportsListed: result.exportsListed,
            compiles: "var x = 1;",
            sdk: "function",
        });
        assert.ok(result.exportsListed > 100, `the stand-in lists the compiler's exports: ${result.exportsListed}`);
    });

    it("enables Node.js's compile cache and writes it even when the process is killed, not ended", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compile-cache-"));
        try {
            const child = spawn(process.execPath, ["-e", `require(${startup}); require("@pulumi/pulumi"); setTimeout(() => console.log(require("module").getCompileCacheDir()), 200); setInterval(() => {}, 1000);`], {
                cwd: repoRoot(),
                env: { ...process.env, NODE_COMPILE_CACHE: dir },
                stdio: ["ignore", "pipe", "inherit"],
            });
            const [line] = (await once(child.stdout!, "data")) as [Buffer];
            child.kill("SIGKILL");
            await once(child, "exit");
            assert.ok(line.toString().trim().startsWith(dir), line.toString());
            const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
            assert.ok(files.length > 50, `${files.length} cache files for @pulumi/pulumi's modules`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
