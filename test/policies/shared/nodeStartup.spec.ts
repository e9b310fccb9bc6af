import * as assert from "assert";
import { spawnSync } from "child_process";
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

    it("enables Node.js's compile cache", () => {
        const result = inFreshProcess(`require(${startup}); console.log(JSON.stringify({ dir: require("module").getCompileCacheDir() ?? null }));`);
        assert.ok(typeof result.dir === "string" && result.dir.length > 0, JSON.stringify(result));
    });
});
