/**
 * A small priced fleet for the cost-caps rule tests (us-west-2 prices):
 * node group 2 (max 4) x c5.xlarge = 2 x 0.17 x 730 = 248.20/month, worst 496.40;
 * node disks 2 x 20 GB gp2 x 0.10 = 4.00 (worst 8.00); EKS 0.10 x 730 = 73.00;
 * expected total 325.20/month, worst case 577.40/month = 0.790958.../hour.
 */
import { TAG } from "../../../../contract/markers";
import { ResourceSpec } from "../../support/policyHarness";

export const EXPECTED_MONTHLY = 2 * 0.17 * 730 + 2 * 20 * 0.1 + 0.1 * 730;
export const WORST_MONTHLY = 4 * 0.17 * 730 + 4 * 20 * 0.1 + 0.1 * 730;

export function fleet(maxSize = 4): ResourceSpec[] {
    return [
        { type: "aws:eks/cluster:Cluster", name: "eks", props: { tags: { [TAG.region]: "us-west-2" } } },
        { type: "aws:eks/nodeGroup:NodeGroup", name: "general", props: { tags: { [TAG.region]: "us-west-2" }, instanceTypes: ["c5.xlarge"], scalingConfig: { minSize: 2, desiredSize: 2, maxSize } } },
    ];
}
