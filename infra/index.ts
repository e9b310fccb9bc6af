/**
 * Pulumi entry point: read and validate the stack config, declare the tier topology, export the
 * outputs the promotion driver reads (`otpSeed` is a secret output).
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, projectDirOf, StackConfig } from "../config/config";
import { deployPlatform } from "./program";

/**
 * The stack's project-namespace config as the running program sees it (project and stack from
 * the runtime), validated. Secret values are not expected in this namespace.
 */
function loadStackConfig(): StackConfig {
    const project = pulumi.getProject();
    const prefix = `${project}:`;
    const raw: Record<string, string> = {};
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (fullKey.startsWith(prefix)) raw[fullKey.slice(prefix.length)] = value;
    }
    return parseStackConfig(raw, project, pulumi.getStack(), projectDirOf(__dirname));
}

const outputs = deployPlatform(loadStackConfig());

export const tier = outputs.tier;
export const environment = outputs.environment;
export const platform = outputs.platform;
export const regions = outputs.regions;
export const endpoint = outputs.endpoint;
export const otpSeed = outputs.otpSeed;
export const resourceSummary = outputs.resourceSummary;
