import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PACK_NAMES } from "../../policies/packs";
import { repoRoot } from "../support/repoRoot";

describe("policy pack folders", () => {
    for (const pack of PACK_NAMES) {
        const dir = path.join(repoRoot(), "policies", pack);
        it(`${pack} is a Node.js policy pack the CLI loads from the repository as compiled JavaScript`, () => {
            const manifest = parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"));
            assert.deepStrictEqual(manifest.runtime, { name: "nodejs", options: { typescript: false } });
            assert.ok(typeof manifest.description === "string" && manifest.description.length > 20);
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            assert.strictEqual(pkg.main, `../../dist/policies/${pack}/index.js`);
            assert.ok(fs.existsSync(path.join(dir, pkg.main)), `${pkg.main} is built by npm run build`);
            assert.strictEqual(pkg.scripts?.build, "cd ../.. && npm run build");
            assert.strictEqual(pkg.dependencies, undefined, "no dependencies of its own: node_modules resolve from the repository root");
            const index = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
            const firstImport = index.split("\n").find((line) => line.startsWith("import "));
            assert.strictEqual(firstImport, 'import "../shared/nodeStartup";', "first of all: the compile cache, and TypeScript on first use");
            assert.match(index, new RegExp(`new PolicyPack\\("${pack}", \\{ enforcementLevel: "advisory", policies: \\w+ \\}\\);`));
            assert.match(index, /from "\.\/policies"/);
        });
    }

    it("load neither @pulumi/aws nor @pulumi/kubernetes (rules use the stand-ins of policies/shared/resourceClasses)", () => {
        // A fresh process: this one has loaded both SDKs already.
        const script = `
            const Module = require("module");
            const load = Module._load;
            const sdks = new Set();
            Module._load = function (request, parent, isMain) {
                const file = Module._resolveFilename(request, parent, isMain);
                const sdk = /node_modules\\/(@pulumi\\/(?:aws|kubernetes))\\//.exec(file);
                if (sdk) sdks.add(sdk[1] + " (from " + parent.filename + ")");
                return load.apply(this, arguments);
            };
            for (const pack of ${JSON.stringify(PACK_NAMES)}) require(${JSON.stringify(path.join(repoRoot(), "dist", "policies"))} + "/" + pack + "/policies");
            console.log(JSON.stringify([...sdks]));`;
        const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(JSON.parse(run.stdout), []);
    });
});
