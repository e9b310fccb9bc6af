/**
 * Which clusters the Kubernetes-only platform targets and how the provider of each is
 * configured (pure: tested without the runtime).
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { Tier } from "../../contract/catalog";

/** The stack settings that choose the clusters: tier, regions, kubeconfig or render directory. */
export interface ClusterSettings {
    tier: Tier;
    regions: { primary: string; secondaries: string[] };
    kubernetes: { kubeconfig?: string; renderDir?: string };
}

/** Regions that get workloads: the primary at tier 2, every region at tier 3. */
export function targetRegions(config: ClusterSettings): string[] {
    return config.tier >= 3 ? [config.regions.primary, ...config.regions.secondaries] : [config.regions.primary];
}

/** Names of the contexts in a kubeconfig text. */
export function kubeconfigContexts(kubeconfigText: string): string[] {
    const parsed = parseYaml(kubeconfigText) as { contexts?: { name?: string }[] } | null;
    return (parsed?.contexts ?? []).map((c) => c.name).filter((n): n is string => typeof n === "string");
}

export type ClusterTarget =
    | { mode: "render"; region: string; directory: string }
    | { mode: "kubeconfig"; region: string; kubeconfig: string; context?: string };

/**
 * The provider settings of each region. Render mode: `<renderDir>/<region>` (absolute).
 * Kubeconfig mode: the context named after the region; with a single region and no such
 * context, the kubeconfig's current context.
 * @param readFile reads the kubeconfig (injectable for tests)
 */
export function clusterTargets(config: ClusterSettings, readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8")): ClusterTarget[] {
    const regions = targetRegions(config);
    const { renderDir, kubeconfig } = config.kubernetes;
    if (renderDir) {
        return regions.map((region) => ({ mode: "render", region, directory: path.resolve(renderDir, region) }));
    }
    if (!kubeconfig) {
        throw new Error("platform kubernetes needs `kubeconfig` (existing clusters) or `renderDir` (render YAML for air-gapped clusters) in the stack config");
    }
    let contexts: string[];
    try {
        contexts = kubeconfigContexts(readFile(kubeconfig));
    } catch (error) {
        throw new Error(`kubeconfig: cannot read ${kubeconfig} (${(error as Error).message}); point \`kubeconfig\` at a readable kubeconfig file`);
    }
    return regions.map((region) => {
        if (contexts.includes(region)) {
            return { mode: "kubeconfig", region, kubeconfig, context: region };
        }
        if (regions.length === 1) {
            return { mode: "kubeconfig", region, kubeconfig };
        }
        throw new Error(
            `kubeconfig: ${kubeconfig} has no context named "${region}" (contexts: ${contexts.join(", ") || "none"}); ` +
                `tier 3 needs one context per region, named after the region`,
        );
    });
}
