/**
 * The service's settings: plain values from the environment (names in
 * contract/markers.ts SYNC_ENV), secrets from files whose paths the environment names.
 * Every problem is reported at once; messages name variables and paths, never file contents.
 */
import * as fs from "fs";
import { LEGACY_SEED_ENV, SYNC_ENV } from "../contract/markers";
import { InvalidSeedError, OtpLockoutPolicy, totpFromBase32 } from "../contract/totp";
import type { Peer } from "./replicator";
import { REGION_PATTERN } from "./wire";

export interface SyncSettings {
    region: string;
    peers: Peer[];
    listen: { host: string; port: number };
    tls: { certFile: string; keyFile: string; caFile?: string };
    seedFile: string;
    payloadKeyFile: string;
    dataDir: string;
    lockout: OtpLockoutPolicy;
    maxItemBytes: number;
    sessionMaxMs: number;
}

export const DEFAULT_PORT = 8443;
export const DEFAULT_MAX_ITEM_BYTES = 16 * 2 ** 20;
export const DEFAULT_SESSION_MAX_SECONDS = 300;

export class SettingsError extends Error {
    constructor(readonly problems: string[]) {
        super(`cross-region sync cannot start (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "SettingsError";
    }
}

/** Settings from `env`; throws SettingsError listing every problem. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): SyncSettings {
    const problems: string[] = [];
    const text = (name: string): string | undefined => {
        const value = env[name]?.trim();
        return value === undefined || value === "" ? undefined : value;
    };
    const required = (name: string, what: string): string => {
        const value = text(name);
        if (value === undefined) problems.push(`${name} is not set: ${what}`);
        return value ?? "";
    };
    const integer = (name: string, fallback: number | undefined, min: number, max: number): number => {
        const value = text(name);
        if (value === undefined) {
            if (fallback === undefined) problems.push(`${name} is not set: a whole number ${min}..${max}`);
            return fallback ?? 0;
        }
        const parsed = Number(value);
        if (!Number.isInteger(parsed) || parsed < min || parsed > max) problems.push(`${name} = ${JSON.stringify(value)}: must be a whole number ${min}..${max}`);
        return parsed;
    };

    if (env[LEGACY_SEED_ENV] !== undefined) {
        problems.push(`${LEGACY_SEED_ENV} is set: the seed must not be in the environment; mount the gate's Secret as a file and name it in ${SYNC_ENV.seedFile}`);
    }
    const region = required(SYNC_ENV.region, "this region's name");
    if (region && !REGION_PATTERN.test(region)) problems.push(`${SYNC_ENV.region} = ${JSON.stringify(region)}: must be a lower-case DNS label`);

    const peers: Peer[] = [];
    for (const part of (text(SYNC_ENV.peers) ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
        const match = /^([^=]+)=(https:\/\/.+)$/.exec(part);
        let url: URL | undefined;
        try {
            url = match ? new URL(match[2]) : undefined;
        } catch {
            url = undefined;
        }
        if (!match || !url || !REGION_PATTERN.test(match[1])) {
            problems.push(`${SYNC_ENV.peers}: "${part}" must be region=https://host[:port]`);
            continue;
        }
        if (match[1] === region || peers.some((p) => p.region === match[1])) {
            problems.push(`${SYNC_ENV.peers}: region ${match[1]} is listed twice or is this region`);
            continue;
        }
        peers.push({ region: match[1], url: url.origin });
    }

    const tlsMin = text(SYNC_ENV.tlsMinVersion);
    if (tlsMin !== "1.3") {
        problems.push(`${SYNC_ENV.tlsMinVersion} = ${JSON.stringify(tlsMin ?? "")}: must be "1.3" (the service speaks TLS 1.3 only; seed 002 section 3.4)`);
    }
    const file = (name: string, what: string, optional = false): string | undefined => {
        const value = optional ? text(name) : required(name, what);
        if (value && !optional && !fs.existsSync(value)) problems.push(`${name} = ${value}: no such file (${what})`);
        return value;
    };
    const seedFile = file(SYNC_ENV.seedFile, "the OTP gate's seed, mounted from its Secret") ?? "";
    const payloadKeyFile = file(SYNC_ENV.payloadKeyFile, "the OTP gate's payload key, mounted from its Secret") ?? "";
    const certFile = file(SYNC_ENV.tlsCertFile, "the PEM certificate chain of the sync endpoint") ?? "";
    const keyFile = file(SYNC_ENV.tlsKeyFile, "the PEM private key of the sync endpoint") ?? "";
    const caFile = file(SYNC_ENV.tlsCaFile, "", true);
    const dataDir = required(SYNC_ENV.dataDir, "a writable directory for the store (a volume)");

    const settings: SyncSettings = {
        region,
        peers,
        listen: { host: text(SYNC_ENV.listenHost) ?? "0.0.0.0", port: integer(SYNC_ENV.listenPort, DEFAULT_PORT, 0, 65535) },
        tls: { certFile, keyFile, ...(caFile ? { caFile } : {}) },
        seedFile,
        payloadKeyFile,
        dataDir,
        lockout: {
            maxWrongCodes: integer(SYNC_ENV.maxWrongCodes, undefined, 1, 1000),
            wrongCodeWindowMinutes: integer(SYNC_ENV.wrongCodeWindowMinutes, undefined, 1, 24 * 60),
            lockoutMinutes: integer(SYNC_ENV.lockoutMinutes, undefined, 1, 24 * 60),
        },
        maxItemBytes: integer(SYNC_ENV.maxItemBytes, DEFAULT_MAX_ITEM_BYTES, 1, 256 * 2 ** 20),
        sessionMaxMs: integer(SYNC_ENV.sessionMaxSeconds, DEFAULT_SESSION_MAX_SECONDS, 5, 3600) * 1000,
    };
    if (problems.length > 0) throw new SettingsError(problems);
    return settings;
}

export interface Secrets {
    seed: string;
    payloadKeyMaterial: string;
}

/** Reads the seed and the payload key material; checks them without ever quoting them. */
export function readSecrets(settings: Pick<SyncSettings, "seedFile" | "payloadKeyFile">): Secrets {
    const problems: string[] = [];
    const read = (file: string, what: string): string => {
        try {
            const value = fs.readFileSync(file, "utf8").trim();
            if (value === "") problems.push(`${file}: empty (${what})`);
            return value;
        } catch (error) {
            problems.push(`${file}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
            return "";
        }
    };
    const seed = read(settings.seedFile, "the OTP seed");
    const payloadKeyMaterial = read(settings.payloadKeyFile, "the payload key");
    if (seed) {
        try {
            totpFromBase32(seed);
        } catch (error) {
            if (!(error instanceof InvalidSeedError)) throw error;
            problems.push(`${settings.seedFile}: ${error.message}`);
        }
    }
    if (seed && payloadKeyMaterial && seed === payloadKeyMaterial) {
        problems.push(`${settings.payloadKeyFile}: the payload key must be a secret of its own, not the TOTP seed`);
    }
    if (problems.length > 0) throw new SettingsError(problems);
    return { seed, payloadKeyMaterial };
}
