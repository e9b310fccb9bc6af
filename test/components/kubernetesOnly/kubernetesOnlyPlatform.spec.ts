import * as fs from "fs";
/** platform kubernetes: no AWS, one provider per region, the same workloads, gate and sync. */
import * as assert from "assert";
import * as os from "os";
import * as path from "path";
import { StackConfig } from "../../../config/config";
import { clusterTargets, targetRegions } from "../../../components/kubernetesOnly";
import { LABEL, ROLE } from "../../../contract/markers";
import { ofType, ProgramRun, runProgram } from "../../support/programUnderMocks";

const renderDir = path.join(os.tmpdir(), "ai-platform-render-test");
const providerName = (ref?: string) => ref?.split("::")[3];

function config(tier: 2 | 3, kubernetes: Partial<StackConfig["kubernetes"]>): StackConfig {
    return {
        tier,
        platform: "kubernetes",
        regions: { primary: "us-west-2", secondaries: ["eu-west-1"] },
        kubernetes: { version: "1.31", storageClass: "encrypted", ...kubernetes },
    } as unknown as StackConfig;
}

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: us-west-2
contexts:
  - name: us-west-2
    context: { cluster: a, user: a }
  - name: eu-west-1
    context: { cluster: b, user: b }
`;

describe("platform kubernetes", function () {
    this.timeout(120000);

    describe("cluster targets", () => {
        it("takes the primary at tier 2 and every region at tier 3", () => {
            assert.deepStrictEqual(targetRegions(config(2, {})), ["us-west-2"]);
            assert.deepStrictEqual(targetRegions(config(3, {})), ["us-west-2", "eu-west-1"]);
        });
        it("renders each region into <renderDir>/<region>, absolute", () => {
            const targets = clusterTargets(config(3, { renderDir: "/srv/render" }));
            assert.deepStrictEqual(targets.map((t) => (t.mode === "render" ? t.directory : "")), ["/srv/render/us-west-2", "/srv/render/eu-west-1"]);
        });
        it("uses the context named after each region", () => {
            const targets = clusterTargets(config(3, { kubeconfig: "/k" }), () => KUBECONFIG);
            assert.deepStrictEqual(targets.map((t) => (t.mode === "kubeconfig" ? t.context : "")), ["us-west-2", "eu-west-1"]);
        });
        it("falls back to the current context for a single region without its own", () => {
            const single = { ...config(2, { kubeconfig: "/k" }), regions: { primary: "ap-southeast-1", secondaries: [] } } as StackConfig;
            const [target] = clusterTargets(single, () => KUBECONFIG);
            assert.strictEqual(target.mode === "kubeconfig" && target.context, undefined);
        });
        it("refuses tier 3 when a region has no context, naming it and the contexts found", () => {
            const cfg = { ...config(3, { kubeconfig: "/k" }), regions: { primary: "us-west-2", secondaries: ["sa-east-1"] } } as StackConfig;
            assert.throws(() => clusterTargets(cfg, () => KUBECONFIG), /no context named "sa-east-1" \(contexts: us-west-2, eu-west-1\)/);
        });
        it("says which file it could not read", () => {
            assert.throws(
                () => clusterTargets(config(3, { kubeconfig: "/nope" }), () => { throw new Error("ENOENT"); }),
                /kubeconfig: cannot read \/nope \(ENOENT\)/,
            );
        });
    });

    describe("under mocks (kubeconfig)", () => {
        it("updates Secrets in place on existing clusters, so a new certificate never deletes its Secret first", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"));
            const file = path.join(dir, "kubeconfig");
            fs.writeFileSync(file, KUBECONFIG);
            try {
                const run = await runProgram({ tier: "3", platform: "kubernetes", kubeconfig: file, primaryRegion: "us-west-2", secondaryRegions: '["eu-west-1"]' });
                const providers = ofType(run.resources, "pulumi:providers:kubernetes");
                assert.strictEqual(providers.length, 2);
                for (const p of providers) assert.deepStrictEqual([p.inputs.enableSecretMutable, p.inputs.enableServerSideApply, p.inputs.kubeconfig], ["true", "true", file]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("under mocks (renderDir)", () => {
        let tier2: ProgramRun;
        let tier3: ProgramRun;
        before(async () => {
            tier2 = await runProgram({ tier: "2", platform: "kubernetes", renderDir });
            tier3 = await runProgram({ tier: "3", platform: "kubernetes", renderDir, primaryRegion: "us-west-2", secondaryRegions: '["eu-west-1","ap-southeast-1"]' });
        });

        it("declares no AWS resource at all", () => {
            for (const run of [tier2, tier3]) {
                assert.deepStrictEqual(run.resources.filter((r) => r.type.startsWith("aws:") || r.type === "pulumi:providers:aws").map((r) => r.type), []);
            }
        });

        it("has one Kubernetes provider per region, each rendering into its own directory", () => {
            const providers = ofType(tier3.resources, "pulumi:providers:kubernetes");
            assert.deepStrictEqual(
                providers.map((p) => p.inputs.renderYamlToDirectory).sort(),
                ["ap-southeast-1", "eu-west-1", "us-west-2"].map((r) => path.join(renderDir, r)).sort(),
            );
            assert.strictEqual(ofType(tier2.resources, "pulumi:providers:kubernetes").length, 1);
            for (const r of tier3.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
                assert.ok(providers.some((p) => p.name === providerName(r.provider)), `${r.name} is on a region provider`);
            }
        });

        it("runs the stores AWS would manage as StatefulSets on the configured class", () => {
            const sets = ofType(tier2.resources, "kubernetes:apps/v1:StatefulSet");
            const postgres = sets.find((s) => s.inputs.metadata.name === "postgresql")!;
            assert.strictEqual(postgres.inputs.spec.volumeClaimTemplates[0].spec.storageClassName, "encrypted");
            assert.ok(sets.some((s) => s.inputs.metadata.name === "redis"));
            assert.strictEqual(ofType(tier2.resources, "kubernetes:storage.k8s.io/v1:StorageClass").length, 0);
        });

        it("stores the gate in every region and syncs only at tier 3", () => {
            const gateSecrets = (run: ProgramRun) => ofType(run.resources, "kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.labels?.[LABEL.role] === ROLE.otpGateSecret);
            const syncs = (run: ProgramRun) => ofType(run.resources, "kubernetes:apps/v1:Deployment").filter((d) => d.inputs.metadata.labels[LABEL.role] === ROLE.crossRegionSync);
            assert.strictEqual(gateSecrets(tier2).length, 1);
            assert.strictEqual(syncs(tier2).length, 0);
            assert.strictEqual(gateSecrets(tier3).length, 3);
            assert.strictEqual(syncs(tier3).length, 3);
            assert.strictEqual(tier3.outputs.otpSeed.secret, true);
        });
    });
});
