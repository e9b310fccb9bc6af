/**
 * The local-cluster toolchain lookup and the test guard (no binaries needed), the openssl PKI,
 * and the node objects made from a pool spec.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { localClusterSpecs } from "../../../automation/localClusters/fromStack";
import { nodeObjects, validateSpec } from "../../../automation/localClusters/manifests";
import { parseStackConfig } from "../../../config/config";
import { nodeEphemeralStorageMib } from "../../../contract/instanceTypes";
import { NODE_ROOT_VOLUME_GB } from "../../../contract/nodePools";
import { rawStackConfig } from "../../policies/support/stackFiles";
import { ensureClusterPki } from "../../../automation/localClusters/pki";
import { lookupKubeToolchain, requireToolchainOrSkip, toolchainEnvFile } from "../../../automation/localClusters/toolchain";

describe("local clusters: toolchain lookup and test guard", () => {
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "local-clusters-tc-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("finds env.json under PULUMI_TOOLCHAIN_HOME, or where AI_PLATFORM_KUBE_TOOLCHAIN says", () => {
        assert.strictEqual(toolchainEnvFile({ PULUMI_TOOLCHAIN_HOME: "/x" }), "/x/kubernetes-v1.36.3/env.json");
        assert.strictEqual(toolchainEnvFile({ AI_PLATFORM_KUBE_TOOLCHAIN: "/y/env.json", PULUMI_TOOLCHAIN_HOME: "/x" }), "/y/env.json");
    });

    it("names what is missing when env.json points at absent binaries", () => {
        const envFile = path.join(tmp, "env.json");
        fs.writeFileSync(envFile, JSON.stringify({ binaries: { etcd: { path: path.join(tmp, "etcd"), version: "v3.6.16" } }, kwokStages: [] }));
        const found = lookupKubeToolchain({ AI_PLATFORM_KUBE_TOOLCHAIN: envFile });
        assert.strictEqual(found.toolchain, undefined);
        assert.ok(found.missing.includes(path.join(tmp, "etcd")), found.missing.join(", "));
        assert.ok(found.missing.includes("kube-apiserver"), found.missing.join(", "));
    });

    it("skips loudly without the binaries, naming them and the install script", () => {
        const warnings: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
        let skipped = false;
        try {
            assert.throws(() => requireToolchainOrSkip({ skip: () => void (skipped = true) }, { AI_PLATFORM_KUBE_TOOLCHAIN: path.join(tmp, "none.json") }));
        } finally {
            console.warn = warn;
        }
        assert.ok(skipped);
        assert.match(warnings.join("\n"), /SKIPPED.*kube-apiserver.*etcd/s);
        assert.match(warnings.join("\n"), /scripts\/install-kubernetes\.sh/);
    });

    it("fails instead of skipping when CI=true", () => {
        let skipped = false;
        assert.throws(
            () => requireToolchainOrSkip({ skip: () => void (skipped = true) }, { CI: "true", AI_PLATFORM_KUBE_TOOLCHAIN: path.join(tmp, "none.json") }),
            /CI=true.*install-kubernetes\.sh/s,
        );
        assert.strictEqual(skipped, false);
    });
});

describe("local clusters: PKI (openssl)", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-clusters-pki-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const text = (cert: string) => execFileSync("openssl", ["x509", "-in", cert, "-noout", "-text"], { encoding: "utf8" });

    it("issues every certificate from the cluster CA, with the SANs and groups the components need", () => {
        const pki = ensureClusterPki(dir, "us-west-2");
        for (const pair of [pki.etcdServer, pki.apiserver, pki.admin, pki.controllerManager, pki.scheduler, pki.kwok, pki.apiserverEtcdClient]) {
            const out = execFileSync("openssl", ["verify", "-CAfile", pki.ca.cert, pair.cert], { encoding: "utf8" });
            assert.match(out, /OK/);
            assert.strictEqual(fs.statSync(pair.key).mode & 0o777, 0o600);
        }
        const api = text(pki.apiserver.cert);
        assert.match(api, /IP Address:127\.0\.0\.1/);
        assert.match(api, /DNS:localhost/);
        assert.match(api, /TLS Web Server Authentication/);
        assert.match(api, /CA:FALSE/);
        assert.match(text(pki.admin.cert), /Subject: O\s*=\s*system:masters, CN\s*=\s*local-admin/);
        assert.match(text(pki.controllerManager.cert), /CN\s*=\s*system:kube-controller-manager/);
        assert.ok(fs.existsSync(pki.serviceAccountKey) && fs.existsSync(pki.serviceAccountPub));
    });

    it("keeps existing certificates on a second call", () => {
        const before = fs.readFileSync(path.join(dir, "apiserver.crt"), "utf8");
        ensureClusterPki(dir, "us-west-2");
        assert.strictEqual(fs.readFileSync(path.join(dir, "apiserver.crt"), "utf8"), before);
    });
});

describe("local clusters: fake nodes from pool specs", () => {
    it("shapes nodes like the pools: capacity, GPUs, labels, taints, zones round-robin", () => {
        const nodes = nodeObjects({
            region: "eu-west-1",
            nodePools: [
                { name: "general", count: 4, cpu: "8", memory: "32Gi", labels: { "ai-platform/pool": "general" } },
                { name: "gpu", count: 1, cpu: "16", memory: "64Gi", gpus: 2, instanceType: "g5.2xlarge", taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }] },
            ],
        });
        assert.deepStrictEqual(
            nodes.map((n) => [n.metadata.name, n.metadata.labels["topology.kubernetes.io/zone"]]),
            [
                ["general-0", "eu-west-1a"],
                ["general-1", "eu-west-1b"],
                ["general-2", "eu-west-1c"],
                ["general-3", "eu-west-1a"],
                ["gpu-0", "eu-west-1a"],
            ],
        );
        const gpu = nodes[4];
        assert.deepStrictEqual(gpu.status.capacity, { cpu: "16", memory: "64Gi", pods: "110", "ephemeral-storage": "100Gi", "nvidia.com/gpu": "2" });
        assert.strictEqual(gpu.metadata.labels["node.kubernetes.io/instance-type"], "g5.2xlarge");
        assert.strictEqual(gpu.metadata.labels["topology.kubernetes.io/region"], "eu-west-1");
        assert.deepStrictEqual(gpu.spec.taints, [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }]);
        assert.strictEqual(nodes[0].status.capacity["nvidia.com/gpu"], undefined);
        assert.strictEqual(nodes[0].metadata.labels["ai-platform/pool"], "general");
    });

    it("gives the local stack's fake nodes the ephemeral storage of their pool's root volume, and two GPU nodes", () => {
        const config = parseStackConfig(rawStackConfig("local", { kubeconfig: "", renderDir: "/tmp/ai-platform-local-render" }), "ai-platform", "local");
        const [cluster] = localClusterSpecs(config);
        const pool = (name: string) => cluster.nodePools.find((p) => p.name === name)!;
        assert.strictEqual(pool("general").ephemeralStorage, `${nodeEphemeralStorageMib(NODE_ROOT_VOLUME_GB.general)}Mi`);
        assert.strictEqual(pool("gpu").ephemeralStorage, `${nodeEphemeralStorageMib(NODE_ROOT_VOLUME_GB.gpu)}Mi`);
        assert.strictEqual(pool("gpu").count, 2);
        const gpuNode = nodeObjects(cluster).find((n) => n.metadata.name === "gpu-0")!;
        assert.strictEqual(gpuNode.status.allocatable["ephemeral-storage"], `${nodeEphemeralStorageMib(200)}Mi`);
    });

    it("refuses specs that would fail half-way through a start", () => {
        assert.throws(() => validateSpec({ region: "US_West", nodePools: [] }), /DNS label/);
        assert.throws(() => validateSpec({ region: "r", nodePools: [{ name: "a", count: 1, cpu: "1", memory: "1Gi" }, { name: "a", count: 1, cpu: "1", memory: "1Gi" }] }), /twice/);
        assert.throws(() => validateSpec({ region: "r", nodePools: [{ name: "a", count: -1, cpu: "1", memory: "1Gi" }] }), /count/);
    });
});
