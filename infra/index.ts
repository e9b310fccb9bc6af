/**
 * Pulumi entry point: read and validate the stack config, declare the tier topology, export the
 * outputs the promotion driver reads (`otpSeed` is a secret output).
 */
import { loadStackConfig } from "../config/config";
import { deployPlatform } from "./program";

const outputs = deployPlatform(loadStackConfig());

export const tier = outputs.tier;
export const environment = outputs.environment;
export const platform = outputs.platform;
export const regions = outputs.regions;
export const endpoint = outputs.endpoint;
export const otpSeed = outputs.otpSeed;
export const resourceSummary = outputs.resourceSummary;
