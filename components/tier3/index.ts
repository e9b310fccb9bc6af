/** Tier 3: regions, global routing and cross-region replication (the sync is components/sync/). */
export { Region, RegionArgs, regionCidr } from "./region";
export { GlobalRouting, GlobalRoutingArgs } from "./globalRouting";
export { CrossRegionReplication, CrossRegionReplicationArgs } from "./crossRegionReplication";
