import { costCapsRule } from "../costConfig";

/**
 * The hourly and monthly gates add up what the price table knows. An autoscaling group of an
 * instance type missing from the table (a p4d.24xlarge fleet, say) would count as nothing and
 * pass a $50/hour limit it exceeds many times over; so where a missing price could be compute
 * (EC2 nodes, managed databases and caches, pods priced by their requests, or a resource type the
 * model has no rule for), the stack is denied until the price is added. Gaps in storage or fixed
 * fees stay with the always-advisory `cost-estimate-complete`.
 */
export const computeResourcesPriced = costCapsRule(
    {
        name: "compute-resources-priced",
        description:
            "Every resource whose missing price could be compute (EC2 instances, autoscaling groups, EKS node groups and clusters, RDS and ElastiCache instances, Kubernetes workloads priced by their requests, and any type without a price rule) is priced, so the worst-case hourly and monthly gates are not lower bounds of unknown gap.",
        severity: "high",
        tags: ["cost", "estimate completeness", "fail closed"],
    },
    (estimate, _config, reportViolation) => {
        for (const item of estimate.unpriced.filter((u) => u.compute)) {
            reportViolation(
                `${item.type} is not priced (${item.reason}): it may run compute the cost gates cannot see, so the stack's hourly and monthly figures are only lower bounds. ` +
                    `Add the price before deploying.`,
                item.urn,
            );
        }
    },
);
