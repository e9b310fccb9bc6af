/**
 * Region: one AWS region of the multi-region tier. It owns the region's explicit `aws.Provider`
 * and hands it to every child (key, network, tier-2 platform, backup bucket), so each region's
 * resources go through exactly one provider configured for that region.
 */
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServiceCatalog } from "../../contract/catalog";
import { QuotaReserve } from "../kubernetes";
import { BackupBucket } from "../shared/backupBucket";
import { EncryptionKey } from "../shared/encryptionKey";
import { Network } from "../shared/network";
import { awsTags, MarkerContext } from "../shared/tags";
import { regionBase } from "../shared/regionBase";
import { isProduction, KubernetesPlatform, KubernetesPlatformSettings } from "../tier2";
import { routedHosts } from "../shared/routedHosts";

export const REGION_COMPONENT = "region";

/**
 * VPC range of the n-th region (0 = primary): 10.10.0.0/16, 10.11.0.0/16, ... Distinct ranges
 * keep the regions' VPCs peerable.
 */
export function regionCidr(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index > 200) {
        throw new Error(`region index ${index} out of range 0-200`);
    }
    return `10.${10 + index}.0.0/16`;
}

/** The stack settings a region reads: its platform's, its names and its network layout. */
export interface RegionSettings extends KubernetesPlatformSettings {
    project: string;
    stack: string;
    network: { availabilityZones: number; natGateways: number };
}

export interface RegionArgs {
    /** Names, tier, network layout and platform settings of the stack. */
    config: RegionSettings;
    catalog: ServiceCatalog;
    /** AWS region name, e.g. eu-west-1. */
    region: string;
    /** The primary region holds the backup bucket that is replicated to the others. */
    isPrimary: boolean;
    /** VPC range of the region (see regionCidr). */
    cidrBlock: string;
    /** Quota room in the namespace for the cross-region sync. */
    quotaReserve?: QuotaReserve;
    /** CIDRs allowed to reach the EKS API publicly; default none. */
    publicAccessCidrs?: string[];
}

export class Region extends pulumi.ComponentResource {
    readonly region: string;
    readonly isPrimary: boolean;
    /** The region's only AWS provider. */
    readonly provider: aws.Provider;
    readonly key: EncryptionKey;
    readonly network: Network;
    readonly platform: KubernetesPlatform;
    /** Backup bucket (primary region only). */
    readonly backupBucket?: BackupBucket;
    /** Host name of the region's ingress load balancer. */
    readonly loadBalancerHostname: pulumi.Output<string>;

    constructor(name: string, args: RegionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:tier3:Region", name, {}, opts);
        const { config } = args;
        this.region = args.region;
        this.isPrimary = args.isPrimary;
        const markers: MarkerContext = { project: config.project, stack: config.stack, tier: config.tier, region: args.region, component: REGION_COMPONENT };
        const tags = awsTags(markers);

        this.provider = new aws.Provider(`${name}-provider`, { region: args.region as aws.Region, defaultTags: { tags } }, { parent: this });
        const child = { parent: this, provider: this.provider };

        const base = regionBase(
            {
                names: { key: `${name}-key`, network: `${name}-network`, backups: `${name}-backups` },
                project: config.project,
                stack: config.stack,
                region: args.region,
                cidrBlock: args.cidrBlock,
                availabilityZones: config.network.availabilityZones,
                natGateways: config.network.natGateways,
                backups: args.isPrimary,
                production: isProduction(config.environment),
                tags: { key: tags, network: tags, backups: awsTags({ ...markers, component: "backups" }) },
            },
            child,
        );
        this.key = base.key;
        this.network = base.network;
        this.backupBucket = base.backups;
        this.platform = new KubernetesPlatform(
            `${name}-platform`,
            {
                config,
                catalog: args.catalog,
                network: this.network,
                key: this.key,
                region: args.region,
                publicAccessCidrs: args.publicAccessCidrs,
                tags,
                extraHosts: routedHosts(args.region, config.dns.domain),
                quotaReserve: args.quotaReserve,
            },
            child,
        );
        // Until the ingress controller reports its load balancer (and under a preview), route to a name that cannot resolve.
        this.loadBalancerHostname = this.platform.workloads.ingressHostname.apply((host) => host ?? `pending-ingress.${args.region}.invalid`);
        this.registerOutputs({ region: this.region, loadBalancerHostname: this.loadBalancerHostname });
    }
}
