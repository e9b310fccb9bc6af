import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PACK_NAMES } from "../../policies/packs";
import { repoRoot } from "../support/repoRoot";

describe("policy pack folders", () => {
    for (const pack of PACK_NAMES) {
        const dir = path.join(repoRoot(), "policies", pack);
        it(`${pack} is a Node.js policy pack the CLI can load from the repository`, () => {
            const manifest = parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"));
            assert.strictEqual(manifest.runtime, "nodejs");
            assert.ok(typeof manifest.description === "string" && manifest.description.length > 20);
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            assert.strictEqual(pkg.main, "index.ts");
            assert.strictEqual(pkg.dependencies, undefined, "no dependencies of its own: node_modules resolve from the repository root");
            const index = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
            assert.match(index, new RegExp(`new PolicyPack\\("${pack}", \\{ enforcementLevel: "advisory", policies: \\w+ \\}\\);`));
            assert.match(index, /from "\.\/policies"/);
        });
    }
});
