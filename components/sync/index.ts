/** The OTP-gated cross-region sync (the service of sync/) as a component, for tier 3 on AWS and on existing clusters. */
export { MultiRegionSync, MultiRegionSyncArgs, SyncRegion } from "./multiRegionSync";
export { SYNC_WORKLOAD_NAME, SYNC_QUOTA_RESERVE, syncHost } from "./syncSpec";
