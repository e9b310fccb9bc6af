/**
 * The README's `pulumi up` steps, run as written (bash, one block after the other) in a copy of
 * the repository's tracked files, as a newcomer would after cloning and building the toolchains:
 * the airgap stack renders its manifests, the local stack deploys to local clusters.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clustersDirOf } from "../../automation/commands/clusters";
import { stopLocalClusters } from "../../automation/localClusters";
import { requireToolchainOrSkip } from "../../automation/localClusters/toolchain";
import { requireToolchain, ROOT } from "./realEngine";

/** The ```bash blocks of the README's "`pulumi up` per stack" part, in order. */
export function pulumiUpBlocks(readme: string): string[] {
    const start = readme.indexOf("**`pulumi up` per stack.**");
    const end = readme.indexOf("**Policy checks on every preview.**");
    assert.ok(start >= 0 && end > start, "the README has its `pulumi up` part");
    return [...readme.slice(start, end).matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe("README: the `pulumi up` steps work as written from a copy of the tracked files", function () {
    this.timeout(1_800_000);
    let dir: string | undefined;

    after(async () => {
        if (!dir) return;
        await stopLocalClusters(clustersDirOf(path.join(dir, ".local-clusters", "local", "kubeconfig")), { remove: true });
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("renders the airgap stack, then deploys the local stack to local clusters", async function () {
        requireToolchain(this);
        requireToolchainOrSkip(this);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-readme-"));
        for (const file of execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean)) {
            if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the working tree
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
        }
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
        const blocks = pulumiUpBlocks(fs.readFileSync(path.join(dir, "README.md"), "utf8"));
        assert.strictEqual(blocks.length, 2, "an airgap block and a local block");
        // A terminal answers pulumi up's confirmation; here the environment does.
        const script = `set -euo pipefail\n${blocks.join("\n")}`;
        const env = { ...process.env, PULUMI_SKIP_CONFIRMATIONS: "true", PULUMI_CONFIG_PASSPHRASE: "", PULUMI_BACKEND_URL: "", CI: "" };
        const run = spawnSync("bash", ["-c", script], { cwd: dir, env, encoding: "utf8", timeout: 1_500_000 });
        const output = `${run.stdout}\n${run.stderr}`;
        assert.strictEqual(run.status, 0, output.slice(-4000));
        const rendered = fs.readdirSync(path.join(dir, "rendered", "us-west-2"), { recursive: true }).map(String);
        assert.ok(rendered.some((f) => /backend-api/.test(f)), rendered.join(", "));
        assert.match(output, /cluster\(s\) ready: kubeconfig/);
        assert.match(output, /Resources:[\s\S]*created/);
    });
});
