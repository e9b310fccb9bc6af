/** platform: kubernetes — the tier 2-3 workloads, OTP gate and sync without AWS. */
export { KubernetesOnlyPlatform, KubernetesOnlyPlatformArgs } from "./kubernetesOnlyPlatform";
export { clusterTargets, targetRegions } from "./clusters";
