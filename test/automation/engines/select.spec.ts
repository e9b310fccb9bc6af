import * as assert from "assert";
import { DriverError, ExitCode } from "../../../automation/exitCodes";
import { OfflineEngine } from "../../../automation/engines/offline/offlineEngine";
import { PulumiEngine } from "../../../automation/engines/pulumi/pulumiEngine";
import { compareVersions, MINIMUM_PULUMI_VERSION, pulumiOptionsFor, selectEngine } from "../../../automation/engines/select";
import { REPO_ROOT } from "./fakeProject";

describe("selectEngine", () => {
    const cli = { path: "/opt/pulumi/bin/pulumi", version: MINIMUM_PULUMI_VERSION };

    it("defaults to pulumi when a recent CLI is found", () => {
        const notices: string[] = [];
        const engine = selectEngine(undefined, { projectDir: REPO_ROOT, detect: () => cli, notify: (l) => notices.push(l) });
        assert.ok(engine instanceof PulumiEngine);
        assert.deepStrictEqual(notices, []);
    });

    it("without --engine, keeps offline when the CLI lacks a plugin the stack needs (aws), and picks pulumi when it has them", () => {
        const notices: string[] = [];
        const lacking = selectEngine(undefined, { projectDir: REPO_ROOT, detect: () => cli, notify: (l) => notices.push(l), requiredPlugins: ["aws@7.48.0"], hasPlugin: () => false });
        assert.ok(lacking instanceof OfflineEngine);
        assert.strictEqual(notices.length, 1);
        assert.match(notices[0], /^engine: offline \(the pulumi CLI is here but the resource plugin\(s\) aws@7\.48\.0 this stack needs are not/);
        const having = selectEngine(undefined, { projectDir: REPO_ROOT, detect: () => cli, notify: (l) => notices.push(l), requiredPlugins: ["aws@7.48.0"], hasPlugin: (_, p) => p === "aws@7.48.0" });
        assert.ok(having instanceof PulumiEngine);
        assert.strictEqual(notices.length, 1);
    });

    it("falls back to offline with a one-line notice when no CLI is found", () => {
        const notices: string[] = [];
        const engine = selectEngine(undefined, { projectDir: REPO_ROOT, detect: () => undefined, notify: (l) => notices.push(l) });
        assert.ok(engine instanceof OfflineEngine);
        assert.strictEqual(notices.length, 1);
        assert.ok(notices[0].startsWith(`engine: offline (no pulumi CLI >= ${MINIMUM_PULUMI_VERSION}`), notices[0]);
    });

    it("--engine offline never looks for the CLI; --engine pulumi without one is a clear error", () => {
        let looked = false;
        assert.ok(selectEngine("offline", { projectDir: REPO_ROOT, detect: () => ((looked = true), cli) }) instanceof OfflineEngine);
        assert.strictEqual(looked, false);
        assert.throws(
            () => selectEngine("pulumi", { projectDir: REPO_ROOT, detect: () => undefined }),
            (e: unknown) => e instanceof DriverError && e.exitCode === ExitCode.EngineFailure && /scripts\/install-pulumi\.sh/.test(e.message),
        );
        assert.throws(() => selectEngine("terraform" as never, { projectDir: REPO_ROOT, detect: () => cli }), /not an engine/);
    });

    it("points the engine at the found binary and puts its folder first on PATH", () => {
        const options = pulumiOptionsFor(cli);
        assert.strictEqual(options.pulumiRoot, "/opt/pulumi");
        assert.ok(options.envVars!.PATH.startsWith("/opt/pulumi/bin:"));
    });

    it("compares versions numerically", () => {
        assert.strictEqual(compareVersions("3.248.0", "3.248.0"), 0);
        assert.strictEqual(compareVersions("v3.250.1", "3.248.0"), 1);
        assert.strictEqual(compareVersions("3.99.0", "3.248.0"), -1);
    });
});
