/** Settings of the EKS node groups `general` and `gpu` (pure: read by the component and the tests). */
import { NodePoolConfig } from "../../contract/nodePools";
import { GPU_NODE_POOL, NODE_POOL_LABEL, NODE_ROOT_VOLUME_GB, NodePoolName } from "../../contract/nodePools";

export type { NodePoolName };

/** Root volume of every node, GiB (images and emptyDir caches such as downloaded models; the node's ephemeral storage). */
export const NODE_VOLUME_GB: Record<NodePoolName, number> = NODE_ROOT_VOLUME_GB;

/** EKS-optimised AMI families: Amazon Linux 2023, with the NVIDIA drivers on the GPU pool. */
export const NODE_AMI_TYPE: Record<NodePoolName, string> = { general: "AL2023_x86_64_STANDARD", gpu: "AL2023_x86_64_NVIDIA" };

export interface NodeGroupSettings {
    scalingConfig: { minSize: number; desiredSize: number; maxSize: number };
    instanceTypes: string[];
    amiType: string;
    labels: Record<string, string>;
    taints: { key: string; value: string; effect: string }[];
}

export function nodeGroupSettings(pool: NodePoolName, config: NodePoolConfig): NodeGroupSettings {
    if (config.minSize < 0 || config.minSize > config.desiredSize || config.desiredSize > config.maxSize || config.maxSize < 1) {
        throw new Error(
            `node pool "${pool}": need 0 <= min (${config.minSize}) <= desired (${config.desiredSize}) <= max (${config.maxSize}) and max >= 1; fix ${pool}Nodes* in the stack config`,
        );
    }
    return {
        scalingConfig: { minSize: config.minSize, desiredSize: config.desiredSize, maxSize: config.maxSize },
        instanceTypes: [config.instanceType],
        amiType: NODE_AMI_TYPE[pool],
        labels: { [NODE_POOL_LABEL]: pool },
        // Only pods that tolerate the GPU taint (the inference Deployments) land on GPU nodes.
        taints: pool === "gpu" ? [{ key: GPU_NODE_POOL.taintKey, value: GPU_NODE_POOL.taintValue, effect: "NO_SCHEDULE" }] : [],
    };
}
