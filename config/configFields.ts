/**
 * Parsers of single stack-config fields. Each reports a bad value through `fail` (key, value,
 * fix) and returns a usable stand-in, so that every problem of a config is reported at once.
 */
import * as fs from "fs";
import * as path from "path";
import { isAwsRegion } from "../contract/awsRegions";
import { REGIONS } from "../contract/seedFigures";
import type { Platform } from "../contract/tiers";

export type Fail = (name: string, value: string | undefined, fix: string) => void;

export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `domain`, defaulting to `<environment>.ai.example.com` so previews work; real stacks set their own. */
export function domainOf(
    value: string | undefined,
    environment: string,
    fail: Fail,
): string {
    const given = value?.trim();
    // A derived default is only as good as the environment name, which is checked on its own.
    if (!given) return `${environment}.ai.example.com`;
    if (!HOSTNAME.test(given)) fail("domain", given, "must be a lower-case DNS name such as ai.example.com");
    return given;
}

export function emailList(value: string | undefined, fail: Fail): string[] {
    if (value === undefined || value === "") return [];
    try {
        const parsed: unknown = JSON.parse(value);
        if (Array.isArray(parsed) && parsed.every((e) => typeof e === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e))) {
            return parsed;
        }
    } catch {
        // reported below
    }
    fail("budgetAlertEmails", value, `must be a list of e-mail addresses, e.g. ["platform-team@example.com"]`);
    return [];
}

export function parseRegions(
    primaryText: string | undefined,
    secondaryText: string | undefined,
    platform: Platform,
    fail: Fail,
): { primary: string; secondaries: string[]; all: string[] } {
    const valid = (name: string) => (platform === "aws" ? isAwsRegion(name) : DNS_LABEL.test(name));
    const allowed =
        platform === "aws"
            ? "must be an AWS region name such as us-west-2, eu-west-1, ap-southeast-1"
            : "must be a DNS label naming the cluster (the kubeconfig context / render sub-directory)";
    const primary = primaryText ?? "";
    if (!valid(primary)) fail("primaryRegion", primary, allowed);

    let secondaries: string[] = [];
    try {
        const parsed: unknown = JSON.parse(secondaryText ?? "[]");
        if (!Array.isArray(parsed) || !parsed.every((r) => typeof r === "string")) throw new Error("not a list");
        secondaries = parsed;
    } catch {
        fail("secondaryRegions", secondaryText, `must be a list of region names, e.g. ${JSON.stringify(REGIONS.secondaries)} (or [] for one region)`);
    }
    for (const region of secondaries) {
        if (!valid(region)) fail("secondaryRegions", region, allowed);
    }
    const all = [primary, ...secondaries];
    const duplicates = all.filter((r, i) => all.indexOf(r) !== i);
    for (const region of new Set(duplicates)) {
        fail("secondaryRegions", secondaryText, `duplicate region ${region}; list each region once and not the primary again`);
    }
    return { primary, secondaries, all };
}

/** Resolves a path key against the project directory; undefined when unset. */
export function localPath(
    name: string,
    value: string | undefined,
    projectDir: string,
    fail: Fail,
): string | undefined {
    if (value === undefined || value === "") return undefined;
    if (value.includes("\0") || value.startsWith("~") || value.includes("$")) {
        fail(name, value, "must be a plain file system path (absolute, or relative to the project directory; no ~ or $VARIABLES)");
        return undefined;
    }
    return path.resolve(projectDir, value);
}

export function existingFile(
    name: string,
    file: string | undefined,
    fail: Fail,
): string | undefined {
    if (file !== undefined && !fs.existsSync(file)) {
        fail(name, file, "must name an existing catalog file (YAML or JSON); remove the key to use the default catalog");
        return undefined;
    }
    return file;
}
