/**
 * What an EC2 instance type holds: vCPUs, memory, GPUs and pod density, and what is left for
 * workloads once the OS, the kubelet or the Docker host take their share (allocatable). The
 * Kubernetes node pools of the local clusters, the capacity preflight, the host-fit rules and
 * the policy packs read these figures; prices live in cost/prices.json.
 *
 * Sources (checked 2026-12-01): the EC2 instance type pages (aws.amazon.com/ec2/instance-types:
 * vCPUs, memory, GPUs) and the EKS AMI's max-pods table (eni-max-pods.txt: pods per node with the
 * VPC CNI) and its bootstrap reservation formula (kube-reserved memory 255 MiB + 11 MiB per pod;
 * kube-reserved CPU 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth,
 * 0.25 % of every further core; hard eviction at 100 MiB available memory; kube-reserved
 * ephemeral storage 1 GiB and hard eviction at 10 % of the node filesystem available).
 */

export interface InstanceShape {
    vcpus: number;
    /** Memory as sold, GiB. */
    memoryGib: number;
    /** NVIDIA GPUs (the `nvidia.com/gpu` capacity of a node). */
    gpus: number;
    /** Pods per node with the VPC CNI (EKS max-pods). */
    maxPods: number;
}

export const INSTANCE_SHAPES: Readonly<Record<string, InstanceShape>> = {
    "t3.medium": { vcpus: 2, memoryGib: 4, gpus: 0, maxPods: 17 },
    "t3.large": { vcpus: 2, memoryGib: 8, gpus: 0, maxPods: 35 },
    "t3.xlarge": { vcpus: 4, memoryGib: 16, gpus: 0, maxPods: 58 },
    "t3.2xlarge": { vcpus: 8, memoryGib: 32, gpus: 0, maxPods: 58 },
    "m5.large": { vcpus: 2, memoryGib: 8, gpus: 0, maxPods: 29 },
    "m5.xlarge": { vcpus: 4, memoryGib: 16, gpus: 0, maxPods: 58 },
    "m5.2xlarge": { vcpus: 8, memoryGib: 32, gpus: 0, maxPods: 58 },
    "c5.large": { vcpus: 2, memoryGib: 4, gpus: 0, maxPods: 29 },
    "c5.xlarge": { vcpus: 4, memoryGib: 8, gpus: 0, maxPods: 58 },
    "c5.2xlarge": { vcpus: 8, memoryGib: 16, gpus: 0, maxPods: 58 },
    "r5.large": { vcpus: 2, memoryGib: 16, gpus: 0, maxPods: 29 },
    "r5.xlarge": { vcpus: 4, memoryGib: 32, gpus: 0, maxPods: 58 },
    "r5.2xlarge": { vcpus: 8, memoryGib: 64, gpus: 0, maxPods: 58 },
    "g4dn.xlarge": { vcpus: 4, memoryGib: 16, gpus: 1, maxPods: 29 },
    "g4dn.2xlarge": { vcpus: 8, memoryGib: 32, gpus: 1, maxPods: 29 },
};

/**
 * Share of the memory as sold that the kernel and firmware keep (an EKS t3.medium reports
 * about 3.76 GiB of its 4 GiB as node capacity).
 */
export const KERNEL_MEMORY_SHARE = 0.06;

/** What a Docker host (tiers 0-1) keeps for the OS, dockerd, containerd and the SSM agent. */
export const DOCKER_HOST_RESERVE = { cpuMillicores: 200, memoryMib: 768 } as const;

/** Hard eviction threshold of the kubelet (memory.available). */
export const KUBELET_EVICTION_MIB = 100;

/**
 * What the kubelet keeps of a node's root filesystem (which holds images, logs, container layers
 * and emptyDirs): kube-reserved ephemeral storage and the hard eviction threshold
 * nodefs.available, as the EKS AMI configures them.
 */
export const KUBELET_EPHEMERAL_RESERVE = { reservedMib: 1024, evictionPercent: 10 } as const;

export interface Allocatable {
    /** CPU, millicores. */
    cpuMillicores: number;
    /** Memory, MiB. */
    memoryMib: number;
    gpus: number;
    pods: number;
    /** Node-local disk for pods (ephemeral-storage), MiB. */
    ephemeralStorageMib: number;
}

/** The shape of a known instance type, or undefined (callers name the type and how to add it). */
export function instanceShape(instanceType: string): InstanceShape | undefined {
    return Object.prototype.hasOwnProperty.call(INSTANCE_SHAPES, instanceType) ? INSTANCE_SHAPES[instanceType] : undefined;
}

/** Node capacity memory: as sold minus the kernel's share, MiB. */
export function capacityMemoryMib(shape: InstanceShape): number {
    return Math.floor(shape.memoryGib * 1024 * (1 - KERNEL_MEMORY_SHARE));
}

/** kube-reserved CPU of the EKS AMI, millicores. */
export function kubeReservedCpuMillicores(vcpus: number): number {
    const steps = [60, 10, 5, 5];
    let reserved = 0;
    for (let core = 0; core < vcpus; core++) reserved += core < steps.length ? steps[core] : 2.5;
    return Math.ceil(reserved);
}

/** Ephemeral storage a node with a root volume of `rootVolumeGb` GiB offers to pods, MiB. */
export function nodeEphemeralStorageMib(rootVolumeGb: number): number {
    const capacityMib = rootVolumeGb * 1024;
    return Math.max(0, Math.floor(capacityMib * (1 - KUBELET_EPHEMERAL_RESERVE.evictionPercent / 100)) - KUBELET_EPHEMERAL_RESERVE.reservedMib);
}

/**
 * What a Kubernetes node of this type offers to pods (capacity minus kube-reserved and eviction);
 * its ephemeral storage comes from its root volume, which the node pool chooses, not the type.
 */
export function kubernetesNodeAllocatable(shape: InstanceShape, rootVolumeGb: number): Allocatable {
    return {
        cpuMillicores: shape.vcpus * 1000 - kubeReservedCpuMillicores(shape.vcpus),
        memoryMib: capacityMemoryMib(shape) - (255 + 11 * shape.maxPods) - KUBELET_EVICTION_MIB,
        gpus: shape.gpus,
        pods: shape.maxPods,
        ephemeralStorageMib: nodeEphemeralStorageMib(rootVolumeGb),
    };
}

/** What a Docker host of this type offers to containers (capacity minus the host's own services). */
export function dockerHostAllocatable(shape: InstanceShape): Allocatable {
    return {
        cpuMillicores: shape.vcpus * 1000 - DOCKER_HOST_RESERVE.cpuMillicores,
        memoryMib: capacityMemoryMib(shape) - DOCKER_HOST_RESERVE.memoryMib,
        gpus: shape.gpus,
        pods: Number.MAX_SAFE_INTEGER,
        // Compose sets no ephemeral-storage limits: the host's data volume is checked on its own.
        ephemeralStorageMib: Number.MAX_SAFE_INTEGER,
    };
}

/** The fix to name when an instance type is missing from the table. */
export function unknownInstanceTypeHint(instanceType: string): string {
    return `instance type "${instanceType}" is not in contract/instanceTypes.ts (known: ${Object.keys(INSTANCE_SHAPES).join(", ")}); add its vCPUs, memory, GPUs and max pods there`;
}
