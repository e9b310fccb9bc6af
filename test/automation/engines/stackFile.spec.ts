import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../../config/config";
import { StackFiles } from "../../../automation/engines/stackFile";
import { runCli } from "../../../automation/cli";
import { makeProjectCopy, removeDir, REPO_ROOT } from "./fakeProject";

describe("StackFiles: each stack file read once per run", () => {
    let dir: string;
    beforeEach(() => (dir = makeProjectCopy(["dev"])));
    afterEach(() => removeDir(dir));

    it("answers every later question from the first reading", () => {
        const files = new StackFiles(dir);
        assert.strictEqual(files.raw("dev", 1).environment, "dev");
        const first = files.config("dev", 1);
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  ai-platform:environment: changed\n");
        assert.strictEqual(files.keys("dev").environment, "dev");
        assert.strictEqual(files.config("dev", 1), first, "the same parsed config object");
        assert.strictEqual(new StackFiles(dir).keys("dev").environment, "changed", "a new run reads the file again");
    });

    it("layers overrides and the tier over the file's keys, and parses each combination once", () => {
        const files = new StackFiles(dir);
        const raw = files.raw("dev", 2, { monthlyCostCap: "123" });
        assert.strictEqual(raw.tier, "2");
        assert.strictEqual(raw.monthlyCostCap, "123");
        assert.strictEqual(files.config("dev", 2, { monthlyCostCap: "123" }).cost.monthlyCap, 123);
        assert.notStrictEqual(files.config("dev", 2), files.config("dev", 2, { monthlyCostCap: "123" }));
        assert.strictEqual(files.config("dev", 2), files.config("dev", 2));
    });

    it("does not remember a file that could not be read: a fixed file is read on the next question", () => {
        const file = path.join(dir, "Pulumi.dev.yaml");
        const good = fs.readFileSync(file, "utf8");
        fs.writeFileSync(file, "config:\n  ai-platform:tier: [\n");
        const files = new StackFiles(dir);
        assert.throws(() => files.keys("dev"));
        fs.writeFileSync(file, good);
        assert.strictEqual(files.keys("dev").environment, "dev");
    });

    it("raises a bad key as a ConfigError naming it", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  ai-platform:monthlyCostCap: lots\n");
        assert.throws(() => new StackFiles(dir).config("dev", 0), (e: unknown) => e instanceof ConfigError && /monthlyCostCap/.test((e as Error).message));
    });

    it("one promote reads the stack file once, whatever the review, the gates and the engine ask", async function () {
        this.timeout(120_000);
        const reads: string[] = [];
        // The module object itself (the namespace import above is a set of getters onto it).
        const nodeFs = require("fs") as typeof fs;
        const readFileSync = nodeFs.readFileSync;
        const stackFile = path.join(dir, "Pulumi.dev.yaml");
        fs.mkdirSync(path.join(dir, "automation"));
        fs.copyFileSync(path.join(REPO_ROOT, "automation", "driver.config.json"), path.join(dir, "automation", "driver.config.json"));
        nodeFs.readFileSync = ((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
            if (typeof file === "string" && path.resolve(file) === stackFile) reads.push(new Error().stack ?? "");
            return (readFileSync as (...a: unknown[]) => unknown)(file, ...rest);
        }) as typeof fs.readFileSync;
        const lines: string[] = [];
        let code: number;
        try {
            code = await runCli(["promote", "--stack", "dev", "--to", "0", "--engine", "offline", "--state-dir", path.join(dir, ".promotion")], {
                out: (l) => lines.push(l),
                err: (l) => lines.push(l),
                env: { PROMOTION_PROJECT_DIR: dir },
            });
        } finally {
            nodeFs.readFileSync = readFileSync;
        }
        assert.strictEqual(code, 0, lines.join("\n"));
        assert.strictEqual(reads.length, 1, `read ${reads.length} times:\n${reads.join("\n\n")}`);
    });
});
