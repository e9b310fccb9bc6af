/**
 * platform kubernetes (tiers 2-3): the catalog's workloads, the OTP gate and, at tier 3, the
 * gated sync on existing clusters (kubeconfig) or rendered to YAML per region (renderDir, for
 * air-gapped clusters, seed 000). No AWS resource is declared.
 */
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceCatalog } from "./catalog";
import { StackConfig } from "./config";
import { KubernetesWorkloads } from "../components/kubernetes";
import { OtpGate } from "../components/shared/otpGate";
import { MultiRegionSync, SYNC_QUOTA_RESERVE } from "../components/tier3";

/** Name of the stack's OTP gate (tagged/annotated on everything it gates). */
export const OTP_GATE_NAME = "sync-gate";

/** Provider of one cluster: a kubeconfig context named after the region (tier 3) or rendered YAML. */
export function clusterProviderArgs(config: StackConfig, region: string): k8s.ProviderArgs {
    if (config.kubernetes.renderDir) {
        return { renderYamlToDirectory: path.join(config.kubernetes.renderDir, region) };
    }
    return {
        kubeconfig: config.kubernetes.kubeconfig,
        // One cluster: the kubeconfig's current context; several: one context per region name.
        ...(config.tier === 3 ? { context: region } : {}),
        enableServerSideApply: true,
    };
}

export function deployKubernetesOnly(
    config: StackConfig,
    catalog: ServiceCatalog,
    regions: string[],
): { endpoint: pulumi.Output<string>; otpSeed: pulumi.Output<string> } {
    const multiRegion = regions.length > 1;
    const clusters = regions.map((region) => {
        const provider = new k8s.Provider(`cluster-${region}`, clusterProviderArgs(config, region));
        const workloads = new KubernetesWorkloads(`workloads-${region}`, {
            provider,
            catalog,
            tier: config.tier,
            region,
            storage: { kind: "existing", className: config.kubernetes.storageClass },
            managedServicesAvailable: false,
            host: config.dns.domain,
            extraHosts: multiRegion ? [`${region}.${config.dns.domain}`] : undefined,
            containerMaxima: { cpu: config.limits.maxContainerCpu, memory: config.limits.maxContainerMemory },
            quotaReserve: multiRegion ? SYNC_QUOTA_RESERVE : undefined,
        });
        return { region, provider, namespace: workloads.namespace };
    });
    const gate = new OtpGate(OTP_GATE_NAME, {
        kubernetes: clusters.map((c) => ({ key: c.region, provider: c.provider, namespace: c.namespace })),
    });
    if (multiRegion) {
        new MultiRegionSync("multi-region-sync", {
            regions: clusters,
            otpGate: gate,
            domain: config.dns.domain,
            tier: config.tier,
            partOf: catalog.name,
        });
    }
    return { endpoint: pulumi.output(`https://${config.dns.domain}`), otpSeed: pulumi.secret(gate.seed) };
}
