/** Kubernetes workloads of the catalog, for any cluster (EKS, existing, or rendered to YAML). */
export { KubernetesWorkloads, KubernetesWorkloadsArgs, DEFAULT_NAMESPACE } from "./workloads";
export { StorageChoice, ENCRYPTED_EBS_CLASS } from "./storage";
export { QuotaReserve } from "./namespace";
export { WorkloadContext, objectLabels, selectorLabels, labelValue } from "./labels";
export { publicHealthPath, defaultIngressRoutes } from "./routes";
export { podSecurity, POD_USER_ID } from "./container";
export { ROLLING_UPDATE } from "./deployment";
export { pdbSpecFor, PDB_UNHEALTHY_POD_EVICTION_POLICY } from "./autoscaling";
export { spreadConstraints, HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY } from "./spread";
export { forceApply, PATCH_FORCE_ANNOTATION } from "./forceApply";
