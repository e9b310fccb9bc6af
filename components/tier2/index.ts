/** Tier 2: Kubernetes platform on AWS (EKS, workloads, managed PostgreSQL and Redis). */
export { KubernetesPlatform, KubernetesPlatformArgs, KubernetesPlatformSettings } from "./kubernetesPlatform";
export { PlatformNetwork, PlatformKey, isProduction } from "./network";
