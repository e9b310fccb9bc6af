import * as assert from "assert";
import { dockerHostAllocatable, instanceShape, kubernetesNodeAllocatable, nodeEphemeralStorageMib, unknownInstanceTypeHint } from "../../contract/instanceTypes";

describe("instance types: capacity and allocatable", () => {
    it("gives an EKS t3.medium the allocatable figures such a node reports (1930m, about 3309 MiB, 17 pods)", () => {
        const allocatable = kubernetesNodeAllocatable(instanceShape("t3.medium")!, 50);
        assert.deepStrictEqual(allocatable, { cpuMillicores: 1930, memoryMib: 3308, gpus: 0, pods: 17, ephemeralStorageMib: 46080 - 1024 });
    });
    it("takes the ephemeral storage from the root volume: 90 % (nodefs eviction at 10 %) less 1 GiB kube-reserved", () => {
        assert.strictEqual(nodeEphemeralStorageMib(50), Math.floor(50 * 1024 * 0.9) - 1024);
        assert.strictEqual(nodeEphemeralStorageMib(200), Math.floor(200 * 1024 * 0.9) - 1024);
        assert.strictEqual(kubernetesNodeAllocatable(instanceShape("g4dn.xlarge")!, 200).ephemeralStorageMib, nodeEphemeralStorageMib(200));
        assert.strictEqual(nodeEphemeralStorageMib(1), 0);
    });
    it("reserves less CPU per core on larger nodes and counts the GPU of g4dn", () => {
        const c5 = kubernetesNodeAllocatable(instanceShape("c5.2xlarge")!, 50);
        assert.strictEqual(c5.cpuMillicores, 8000 - (60 + 10 + 5 + 5 + 4 * 2.5));
        assert.strictEqual(kubernetesNodeAllocatable(instanceShape("g4dn.xlarge")!, 200).gpus, 1);
    });
    it("leaves a Docker host its own reserve", () => {
        const host = dockerHostAllocatable(instanceShape("t3.xlarge")!);
        assert.strictEqual(host.cpuMillicores, 3800);
        assert.strictEqual(host.memoryMib, Math.floor(16 * 1024 * 0.94) - 768);
    });
    it("names the table and the fix for an unknown type", () => {
        assert.strictEqual(instanceShape("p4d.24xlarge"), undefined);
        assert.strictEqual(instanceShape("constructor"), undefined);
        assert.match(unknownInstanceTypeHint("p4d.24xlarge"), /contract\/instanceTypes\.ts.*add its vCPUs/);
    });
});
