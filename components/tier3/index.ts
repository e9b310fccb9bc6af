/** Tier 3: regions, global routing, cross-region replication and the OTP-gated sync. */
export { Region, RegionArgs, regionCidr } from "./region";
export { GlobalRouting, GlobalRoutingArgs, routedHosts, regionHost, LATENCY_RECORD, FAILOVER_RECORD } from "./globalRouting";
export { CrossRegionReplication, CrossRegionReplicationArgs } from "./crossRegionReplication";
export { MultiRegionSync, MultiRegionSyncArgs, SyncRegion } from "./multiRegionSync";
export { SYNC_WORKLOAD_NAME, SYNC_QUOTA_RESERVE, syncHost } from "./syncSpec";
