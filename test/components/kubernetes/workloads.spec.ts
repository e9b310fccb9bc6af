/** KubernetesWorkloads takes any provider: every object it declares goes to the one it was given. */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { sutazaiCatalog } from "../../../config/catalog";
import { KubernetesWorkloads } from "../../../components/kubernetes";
import { LABEL } from "../../../contract/markers";
import { declareUnderMocks } from "./componentsUnderMocks";

const providers: Array<[label: string, name: string, args: k8s.ProviderArgs]> = [
    ["an existing cluster (kubeconfig context)", "existing", { kubeconfig: "/home/ops/.kube/config", context: "eu-west-1" }],
    ["an air-gapped cluster (rendered YAML)", "rendered", { renderYamlToDirectory: "/tmp/ai-platform-workloads-test" }],
];

describe("KubernetesWorkloads on any provider", function () {
    this.timeout(60000);
    for (const [label, providerName, providerArgs] of providers) {
        it(`declares everything on ${label}, labelled with tier and region`, async () => {
            const { resources } = await declareUnderMocks(() => {
                const provider = new k8s.Provider(providerName, providerArgs);
                return new KubernetesWorkloads("w", {
                    provider,
                    catalog: sutazaiCatalog,
                    tier: 2,
                    region: "eu-west-1",
                    storage: { kind: "existing", className: "encrypted" },
                    managedServicesAvailable: false,
                    gpuNodesAvailable: true,
                    host: "ai.example.com",
                    containerMaxima: { cpu: "4", memory: "8Gi" },
                });
            });
            const objects = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            assert.ok(objects.length > 50, `${objects.length} objects`);
            const used = new Set(objects.map((r) => r.provider?.split("::")[3]));
            assert.strictEqual(used.size, 1);
            assert.strictEqual([...used][0], providerName);
            for (const r of objects) {
                assert.strictEqual(r.inputs.metadata.labels[LABEL.region], "eu-west-1", r.name);
                assert.strictEqual(r.inputs.metadata.labels[LABEL.tier], "2", r.name);
            }
        });
    }

    it("names the namespace of namespaced objects with the known name string, not an Output of the Namespace", async () => {
        const { resources, result } = await declareUnderMocks(() =>
            new KubernetesWorkloads("w", {
                provider: new k8s.Provider("existing", { kubeconfig: "/home/ops/.kube/config" }),
                catalog: sutazaiCatalog,
                tier: 2,
                region: "eu-west-1",
                namespace: "team-a",
                storage: { kind: "existing", className: "encrypted" },
                managedServicesAvailable: false,
                gpuNodesAvailable: true,
                host: "ai.example.com",
                containerMaxima: { cpu: "4", memory: "8Gi" },
            }),
        );
        assert.strictEqual(result.namespaceName, "team-a");
        const namespaced = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !/:(Namespace|StorageClass)$/.test(r.type));
        assert.ok(namespaced.some((r) => r.type === "kubernetes:core/v1:LimitRange") && namespaced.some((r) => r.type === "kubernetes:core/v1:ResourceQuota"));
        for (const r of namespaced) {
            assert.strictEqual(r.inputs.metadata.namespace, "team-a", r.name);
        }
    });
});
