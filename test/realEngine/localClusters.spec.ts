/**
 * The driver on real Kubernetes: the shipped `local` stack on local clusters (one per region,
 * fake nodes shaped like its node pools), with the real engine. In one walk: tier 2 lands in
 * the primary cluster only; a hand-made change (kubectl scale) is drift that stops the next
 * promotion; a step the API server refuses (LimitRange) fails with exit 6 in the cluster's
 * words and loses nothing; the retry reaches tier 3 with the workloads and the gated sync in both
 * clusters; the offline engine reports the same policy results; `--rollback` removes the second
 * region's workloads. Skips loudly without the Pulumi or the Kubernetes toolchain (fails under CI).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readAudit } from "../../automation/audit/auditLog";
import { runCli } from "../../automation/cli";
import { clustersDirOf } from "../../automation/commands/clusters";
import { PolicyViolation } from "../../automation/engines/engine";
import { OfflineEngine } from "../../automation/engines/offline/offlineEngine";
import { PulumiEngine } from "../../automation/engines/pulumi/pulumiEngine";
import { MINIMUM_PULUMI_VERSION, pulumiOptionsFor } from "../../automation/engines/select";
import { ExitCode } from "../../automation/exitCodes";
import { KubeApi, resourcePath, stopLocalClusters } from "../../automation/localClusters";
import { requireToolchainOrSkip } from "../../automation/localClusters/toolchain";
import { currentCode } from "../../automation/otp/totp";
import { StateStore } from "../../automation/state/stackState";
import { credentialsFor } from "../../automation/targets/kubeconfig";
import { LocalProject, localProject, pulumi, removeProject, requireToolchain, Toolchain } from "./realEngine";

const NS = "ai-platform";

async function driver(project: LocalProject, argv: string[]): Promise<{ code: number; text: string }> {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env: { ...project.env, CI: "", PROMOTION_OTP: "" } };
    const code = await runCli(argv, io, { projectDir: project.dir });
    return { code, text: lines.join("\n") };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("real engine on local Kubernetes clusters: the local stack from tier 2 to 3 and back", function () {
    this.timeout(3_600_000);
    let toolchain: Toolchain;
    let project: LocalProject | undefined;
    let stateDir: string;
    const apis: Record<string, KubeApi> = {};
    const saved = { ...process.env };

    const api = (region: string) => (apis[region] ??= KubeApi.fromCredentials(credentialsFor(project!.kubeconfig, region)));
    const names = async (region: string, apiVersion: string, plural: string): Promise<string[]> => {
        const res = await api(region).request<{ items?: { metadata: { name: string } }[] }>("GET", resourcePath(apiVersion, plural, undefined, NS));
        return res.status === 200 ? (res.body.items ?? []).map((i) => i.metadata.name) : [];
    };
    const namespaceExists = async (region: string) => (await api(region).request("GET", resourcePath("v1", "namespaces", NS))).status === 200;
    const code = () => {
        const seed = JSON.parse(pulumi(project!, ["stack", "output", "otpSeed", "--show-secrets", "--json", "--stack", "local"]).stdout) as string;
        return currentCode(seed);
    };
    const promote = (...args: string[]) => driver(project!, ["promote", "--stack", "local", "--engine", "pulumi", "--state-dir", stateDir, ...args]);

    before(async function () {
        toolchain = requireToolchain(this);
        requireToolchainOrSkip(this);
        project = localProject(toolchain);
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-local-state-"));
        Object.assign(process.env, project.env);
        const started = await driver(project, ["clusters", "start", "--stack", "local"]);
        assert.strictEqual(started.code, ExitCode.Success, started.text);
        console.log(`      [local] ${started.text.split("\n").pop()}`);
    });

    after(async () => {
        for (const a of Object.values(apis)) a.close();
        if (project) await stopLocalClusters(clustersDirOf(project.kubeconfig), { remove: true });
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        removeProject(project);
    });

    it("promotes to tier 2: the primary cluster runs the workloads (preflight and verification passed), the second cluster nothing", async () => {
        const run = await promote("--to", "2");
        assert.strictEqual(run.code, ExitCode.Success, run.text);
        assert.match(run.text, /gate preflight: passed/);
        assert.match(run.text, /gate verification: passed/);
        assert.ok((await names("us-west-2", "apps/v1", "deployments")).includes("backend-api"));
        assert.ok((await names("us-west-2", "apps/v1", "statefulsets")).includes("neo4j"));
        assert.ok(!(await namespaceExists("eu-west-1")), "tier 2 runs in the primary region only");
        const last = readAudit(stateDir, "local").pop()!;
        assert.deepStrictEqual([last.result, last.target?.preflight?.ok, last.target?.verification?.ok], ["succeeded", true, true]);
    });

    it("refuses to promote a stack someone changed with kubectl (exit 10), naming the change, before any preview", async () => {
        await api("us-west-2").call("PATCH", `${resourcePath("apps/v1", "statefulsets", "neo4j", NS)}/scale?fieldManager=kubectl`, { spec: { replicas: 1 } }, "application/merge-patch+json");
        const run = await promote("--to", "3", "--otp", code());
        assert.strictEqual(run.code, ExitCode.Drift, run.text);
        assert.match(run.text, /changed kubernetes:apps\/v1:StatefulSet .*neo4j-statefulset \(spec\.replicas\)/);
        assert.match(run.text, /--on-drift adopt .* or --on-drift overwrite/);
        assert.ok(!/preview with all policy packs/.test(run.text), "nothing ran after the drift check");
        assert.strictEqual(new StateStore(stateDir).read("local").tier, 2);
        assert.strictEqual(readAudit(stateDir, "local").pop()!.result, "drift-refused");
    });

    it("fails a step the API server refuses (LimitRange) with exit 6 in the cluster's words, and loses nothing", async () => {
        // Overwriting the drift, with a per-container maximum below the backend's CPU limit: the
        // policy only warns (advisory stack), the preflight passes, the LimitRanger refuses the new pods.
        await sleep(31_000); // a fresh OTP window: each code is accepted once
        const run = await promote("--to", "3", "--otp", code(), "--on-drift", "overwrite", "--config", "maxContainerCpu=1");
        assert.strictEqual(run.code, ExitCode.EngineFailure, run.text);
        assert.match(run.text, /the cluster refused the rollout: .*refused by the API server: .*forbidden: maximum cpu usage per Container is 1, but limit is 2/);
        const state = new StateStore(stateDir).read("local");
        assert.strictEqual(state.tier, 2, "the recorded tier stays the last good one");
        assert.strictEqual(state.failedUp?.to, 3, "the failed step is recorded for the retry or --rollback");
        assert.ok(state.driftOverwrite, "the overwrite holds until a step succeeds");
        const records = readAudit(stateDir, "local");
        const failed = records.pop()!;
        assert.strictEqual(failed.result, "failed");
        assert.ok(failed.notes?.some((n) => n.startsWith("drift overwritten by")), JSON.stringify(failed));
        assert.strictEqual(records.pop()!.result, "in-progress");
    });

    it("resumes: the retry reaches tier 3, the workloads and the gated sync run in both clusters, the drift is undone", async () => {
        await sleep(31_000);
        const run = await promote("--to", "3", "--otp", code());
        assert.strictEqual(run.code, ExitCode.Success, run.text);
        assert.match(run.text, /continuing the drift overwrite chosen by/);
        assert.strictEqual(new StateStore(stateDir).read("local").driftOverwrite, undefined, "a successful step ends the overwrite");
        const report = fs.readFileSync(path.join(stateDir, "reports", "local", "local-tier3.md"), "utf8");
        assert.match(report, /## Target checks[\s\S]*Preflight \(before up\): passed[\s\S]*Verification \(after up\): passed/);
        for (const region of ["us-west-2", "eu-west-1"]) {
            const deployments = await names(region, "apps/v1", "deployments");
            assert.ok(deployments.includes("backend-api") && deployments.includes("cross-region-sync"), `${region}: ${deployments.join(", ")}`);
        }
        const neo4j = await api("us-west-2").get<{ spec: { replicas: number } }>(resourcePath("apps/v1", "statefulsets", "neo4j", NS));
        assert.strictEqual(neo4j.spec.replicas, 3, "the program's replica count is back");
    });

    it("reports the same policy results on the offline engine as on the real one", async () => {
        const request = { stack: "local", tier: 3 as const };
        const offline = await new OfflineEngine({ projectDir: project!.dir, stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "local-offline-")) }).preview(request);
        const real = await new PulumiEngine({ workDir: project!.dir, ...pulumiOptionsFor({ path: path.join(toolchain.binDir, "pulumi"), version: MINIMUM_PULUMI_VERSION }) }).preview(request);
        assert.ok(offline.ok && real.ok, `both previews ran: offline ${offline.error ?? "ok"}, real ${real.error ?? "ok"}`);
        const identities = (vs: PolicyViolation[]) => vs.map((v) => `${v.policyName} @ ${(v.resourceUrn ?? "stack").split("::").pop()}`).sort();
        assert.deepStrictEqual(identities(real.policyViolations), identities(offline.policyViolations));
    });

    it("--rollback from tier 3 removes the second region's workloads", async () => {
        const run = await promote("--rollback");
        assert.strictEqual(run.code, ExitCode.Success, run.text);
        assert.ok(!(await namespaceExists("eu-west-1")) || (await names("eu-west-1", "apps/v1", "deployments")).length === 0, "eu-west-1 holds no workloads after the rollback");
        assert.ok((await names("us-west-2", "apps/v1", "deployments")).includes("backend-api"), "the primary keeps tier 2");
        assert.ok(!(await names("us-west-2", "apps/v1", "deployments")).includes("cross-region-sync"), "the sync leaves with tier 3");
        assert.strictEqual(new StateStore(stateDir).read("local").tier, 2);
    });
});
