/** What the driver reads from a cluster's nodes and pods, without a cluster. */
import * as assert from "assert";
import { freeNodes } from "../../../automation/targets/inspect";

const GiB = 2 ** 30;

describe("Kubernetes targets: free room on nodes", () => {
    it("subtracts the ephemeral storage the staying pods request from each node's allocatable", () => {
        const node = {
            metadata: { name: "general-0", labels: {} },
            spec: {},
            status: { allocatable: { cpu: "1930m", memory: "3308Mi", pods: "17", "ephemeral-storage": "44032Mi" }, conditions: [{ type: "Ready", status: "True" }] },
        };
        const pod = (namespace: string) => ({
            metadata: { namespace },
            spec: { nodeName: "general-0", containers: [{ resources: { requests: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "2Gi" } } }] },
            status: { phase: "Running" },
        });
        const [slot] = freeNodes([node], [pod("kube-system"), pod("ai-platform")], new Set(["ai-platform"]));
        assert.strictEqual(slot.allocatable.ephemeralBytes, 44032 * 2 ** 20 - 2 * GiB);
        assert.strictEqual(slot.allocatable.pods, 16);
    });
});
