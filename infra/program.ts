/**
 * The Pulumi program: validated stack config + service catalog -> the tier topology.
 *
 *   every AWS tier   primary region: EncryptionKey, Network, BackupBucket, CostGuard, OtpGate, PublicDns
 *   tier 0           SingleHost (docker compose)
 *   tier 1           SwarmCluster
 *   tier 2           KubernetesPlatform
 *   tier 3           one Region per region (own provider, key, network, platform) + GlobalRouting,
 *                    CrossRegionReplication and the OTP-gated MultiRegionSync
 *   platform kubernetes  workloads on existing clusters / rendered YAML (no AWS resources)
 */
import * as aws from "../components/shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServiceCatalog, defaultCatalog, loadCatalogFile, validateCatalog } from "../config/catalog";
import { projectDirOf, StackConfig } from "../config/config";
import { loadOtpLockout } from "../config/otpLockout";
import { forceApply } from "../components/kubernetes";
import { KubernetesOnlyPlatform } from "../components/kubernetesOnly";
import { IngressTls } from "../components/tier2/ingressTls";
import { PLATFORM_TLS_SECRET } from "../components/kubernetes/ingress";
import { CertificateAuthority } from "../components/shared/privateCa";
import { tierDefinition } from "../contract/tiers";
import { CostGuard } from "../components/shared/costGuard";
import { OtpGate } from "../components/shared/otpGate";
import { PublicDns } from "../components/shared/publicDns";
import { awsTags, MarkerContext } from "../components/shared/tags";
import { regionBase } from "../components/shared/regionBase";
import { SingleHost } from "../components/tier0/singleHost";
import { SwarmCluster } from "../components/tier1/swarmCluster";
import { isProduction, KubernetesPlatform } from "../components/tier2";
import { CrossRegionReplication, GlobalRouting, Region, regionCidr } from "../components/tier3";
import { RECORD_TTL_SECONDS } from "../components/tier3/globalRouting";
import { MultiRegionSync, SYNC_QUOTA_RESERVE } from "../components/sync";
import { LATENCY_RECORD, routedHosts } from "../components/shared/routedHosts";
import { publicHealthPath } from "../components/kubernetes";

/** What `pulumi stack output` shows; the driver reads these. Nothing secret in plain outputs. */
export interface PlatformOutputs {
    tier: number;
    environment: string;
    platform: string;
    /** Regions the stack deploys to (tier 3: all; lower tiers: the primary). */
    regions: string[];
    /** Public URL of the platform. */
    endpoint: pulumi.Output<string>;
    /** base32 TOTP seed of the stack's OtpGate; always a secret output. */
    otpSeed: pulumi.Output<string>;
    /** Short description of the topology, for reports. */
    resourceSummary: string;
}

/** Name of the stack's OTP gate (tagged/annotated on everything it gates). */
export const OTP_GATE_NAME = "sync-gate";

/** @param catalog the services to run; default: the stack's `catalogFile`, else the SutazAI catalog. */
export function deployPlatform(config: StackConfig, catalogArg?: ServiceCatalog): PlatformOutputs {
    const catalog = catalogArg ?? (config.catalogFile ? loadCatalogFile(config.catalogFile) : defaultCatalog);
    validateCatalog(catalog);
    const regions = config.tier === 3 ? [config.regions.primary, ...config.regions.secondaries] : [config.regions.primary];
    const base = {
        tier: config.tier,
        environment: config.environment,
        platform: config.platform,
        regions,
        resourceSummary: `${tierDefinition(config.tier).seedName} on ${config.platform} in ${regions.join(", ")} (catalog ${catalog.name}, ${catalog.services.length} services)`,
    };
    if (config.platform === "kubernetes") {
        const otpLockout = config.tier === 3 ? loadOtpLockout(projectDirOf(__dirname)) : undefined;
        const platform = new KubernetesOnlyPlatform(
            "platform",
            { config, catalog, gateName: OTP_GATE_NAME, otpLockout },
            config.kubernetes.forceConflicts ? { transforms: [forceApply] } : undefined,
        );
        return { ...base, endpoint: pulumi.output(`https://${config.dns.domain}`), otpSeed: pulumi.secret(platform.otpGate.seed) };
    }
    const { endpoint, otpSeed } = config.tier === 3 ? deployMultiRegion(config, catalog) : deploySingleRegion(config, catalog);
    return { ...base, endpoint, otpSeed: pulumi.secret(otpSeed) };
}

function markers(config: StackConfig, region: string | undefined, component: string): MarkerContext {
    return { project: config.project, stack: config.stack, tier: config.tier, region, component };
}

/** Tiers 0-2: the shared base in the primary region and the tier's topology on top. */
function deploySingleRegion(config: StackConfig, catalog: ServiceCatalog): { endpoint: pulumi.Output<string>; otpSeed: pulumi.Output<string> } {
    const region = config.regions.primary;
    const tags = (component: string) => awsTags(markers(config, region, component));
    const production = isProduction(config.environment);

    const provider = new aws.Provider(`aws-${region}`, { region: region as aws.Region, defaultTags: { tags: tags("platform") } });
    const inRegion = { provider };

    const { key, network, backups } = regionBase({
        names: { key: "platform-key", network: "platform-network", backups: "platform-backups" },
        project: config.project,
        stack: config.stack,
        region,
        cidrBlock: regionCidr(0),
        availabilityZones: config.network.availabilityZones,
        natGateways: config.network.natGateways,
        backups: true,
        production,
        tags: { key: tags("encryption"), network: tags("network"), backups: tags("backups") },
    }, inRegion);
    new CostGuard("platform-budget", {
        monthlyCapUsd: config.cost.monthlyCap,
        stack: config.stack,
        kmsKeyArn: key.arn,
        alertEmails: config.cost.alertEmails,
        tags: tags("cost-guard"),
    }, inRegion);
    const gate = new OtpGate(OTP_GATE_NAME, { aws: { kmsKeyId: key.arn, provider, tags: tags("otp-gate") } }, inRegion);
    const endpoint = pulumi.output(`https://${config.dns.domain}`);

    if (config.tier === 2) {
        // The zone apex cannot be a CNAME: the platform answers at app.<domain>, the name tier 3
        // routes by latency, with a certificate from cert-manager (no ACM certificate here).
        const dns = new PublicDns("platform-dns", { domain: config.dns.domain, hostedZoneId: config.dns.hostedZoneId, certificate: false, tags: tags("dns") }, inRegion);
        const appHost = `${LATENCY_RECORD}.${config.dns.domain}`;
        const platform = new KubernetesPlatform("platform", { config, catalog, network, key, region, tags: tags("kubernetes-platform"), extraHosts: [appHost] }, inRegion);
        new IngressTls("platform-ingress-tls", {
            kubernetesProvider: platform.kubernetesProvider,
            clusterName: platform.clusterName,
            region,
            zoneId: dns.zoneId,
            tags: tags("ingress-tls"),
            certificates: [{ secretName: PLATFORM_TLS_SECRET, namespace: platform.workloads.namespaceName, dnsNames: [config.dns.domain, appHost] }],
        }, inRegion);
        new aws.route53.Record("platform-app", {
            zoneId: dns.zoneId,
            name: appHost,
            type: "CNAME",
            ttl: RECORD_TTL_SECONDS,
            records: [platform.workloads.ingressHostname.apply((host) => host ?? `pending-ingress.${region}.invalid`)],
        }, inRegion);
        return { endpoint: pulumi.output(`https://${appHost}`), otpSeed: gate.seed };
    }

    const dns = new PublicDns("platform-dns", {
        domain: config.dns.domain,
        hostedZoneId: config.dns.hostedZoneId,
        certificateArn: config.dns.certificateArn,
        tags: tags("dns"),
    }, inRegion);
    const common = {
        catalog,
        project: config.project,
        region,
        kmsKeyArn: key.arn,
        bucket: { name: backups.bucketName, arn: backups.bucketArn },
        certificateArn: dns.certificateArn,
        dns: { zoneId: dns.zoneId, name: config.dns.domain },
    };
    if (config.tier === 0) {
        new SingleHost("single-host", {
            ...common,
            instanceType: config.compute.hostInstanceType,
            dataVolumeGb: config.compute.hostDataVolumeGb,
            network,
            tags: tags("single-host"),
        }, inRegion);
    } else {
        new SwarmCluster("swarm", {
            ...common,
            stack: config.stack,
            managerInstanceType: config.compute.swarmManagerInstanceType,
            workers: config.compute.swarmWorkers,
            network,
            deletionProtection: production,
            tags: tags("swarm"),
        }, inRegion);
    }
    return { endpoint, otpSeed: gate.seed };
}

/** Tier 3: a Region per region, routing, replication and the gated sync between them. */
function deployMultiRegion(config: StackConfig, catalog: ServiceCatalog): { endpoint: pulumi.Output<string>; otpSeed: pulumi.Output<string> } {
    const names = [config.regions.primary, ...config.regions.secondaries];
    const regions = names.map((region, index) => new Region(`region-${region}`, {
        config,
        catalog,
        region,
        isPrimary: index === 0,
        cidrBlock: regionCidr(index),
        quotaReserve: SYNC_QUOTA_RESERVE,
    }));
    const [primary, ...secondaries] = regions;
    const global = (component: string) => awsTags(markers(config, undefined, component));
    const inPrimary = { provider: primary.provider };

    new CostGuard("platform-budget", {
        monthlyCapUsd: config.cost.monthlyCap,
        stack: config.stack,
        kmsKeyArn: primary.key.arn,
        alertEmails: config.cost.alertEmails,
        tags: global("cost-guard"),
    }, inPrimary);

    const gate = new OtpGate(OTP_GATE_NAME, {
        aws: {
            kmsKeyId: primary.key.arn,
            provider: primary.provider,
            replicas: secondaries.map((r) => ({ region: r.region, kmsKeyId: r.key.arn })),
            tags: global("otp-gate"),
        },
        kubernetes: regions.map((r) => ({ key: r.region, provider: r.platform.kubernetesProvider, namespace: r.platform.workloads.namespace })),
    }, inPrimary);

    // The Ingresses' certificates come from cert-manager (ACME DNS-01 in this zone), not ACM.
    const dns = new PublicDns("platform-dns", {
        domain: config.dns.domain,
        hostedZoneId: config.dns.hostedZoneId,
        certificate: false,
        tags: global("dns"),
    }, inPrimary);
    for (const r of regions) {
        new IngressTls(`region-${r.region}-ingress-tls`, {
            kubernetesProvider: r.platform.kubernetesProvider,
            clusterName: r.platform.clusterName,
            region: r.region,
            zoneId: dns.zoneId,
            tags: awsTags(markers(config, r.region, "ingress-tls")),
            certificates: [{ secretName: PLATFORM_TLS_SECRET, namespace: r.platform.workloads.namespaceName, dnsNames: [config.dns.domain, ...routedHosts(r.region, config.dns.domain)] }],
        }, { provider: r.provider });
    }
    const routing = new GlobalRouting("global-routing", {
        domain: config.dns.domain,
        zoneId: dns.zoneId,
        regions: regions.map((r) => ({ region: r.region, loadBalancerHostname: r.loadBalancerHostname, primary: r.isPrimary })),
        healthCheckPath: publicHealthPath(catalog),
        tags: global("global-routing"),
    }, inPrimary);

    const bucket = primary.backupBucket!;
    new CrossRegionReplication("backup-replication", {
        source: {
            region: primary.region,
            bucketId: bucket.bucket.id,
            bucketArn: bucket.bucketArn,
            kmsKeyArn: primary.key.arn,
            provider: primary.provider,
            dependsOn: [bucket.versioning],
        },
        destinations: secondaries.map((r) => ({ region: r.region, kmsKeyArn: r.key.arn, provider: r.provider })),
        otpGate: gate,
        tags: global("cross-region-replication"),
    }, inPrimary);

    // The sync path is service to service: its own private CA, trusted by every region's peers.
    const syncCa = new CertificateAuthority("sync-ca", { commonName: `${catalog.name} sync CA (${config.project}/${config.stack})` });
    new MultiRegionSync("multi-region-sync", {
        certificateAuthority: syncCa,
        regions: regions.map((r) => ({ region: r.region, provider: r.platform.kubernetesProvider, namespace: r.platform.workloads.namespace })),
        otpGate: gate,
        otpLockout: loadOtpLockout(projectDirOf(__dirname)),
        image: config.sync.image,
        domain: config.dns.domain,
        tier: config.tier,
        partOf: catalog.name,
    });

    return { endpoint: pulumi.output(`https://${routing.latencyName}`), otpSeed: gate.seed };
}
