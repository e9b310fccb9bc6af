/**
 * The one rule evaluator outside the Pulumi CLI: runs the packs' rules in-process on recorded
 * resources, building the same arguments `@pulumi/policy` 1.21 builds (ResourceValidationArgs,
 * StackValidationArgs) and resolving enforcement levels and config the way the CLI does with
 * `--policy-pack-config`. The offline engine and the tests use it; nothing here starts a server.
 */
import {
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PolicyPackDefinition } from "./packs";

/** A resource as the recording mocks (or any other recorder) saw it. */
export interface RecordedResourceLike {
    type: string;
    name: string;
    urn: string;
    /** Input properties (the recording mocks' name). */
    inputs?: Record<string, any>;
    /** Input properties (the policy SDK's name); used when `inputs` is absent. */
    props?: Record<string, any>;
    /** false for ComponentResources: only custom resources get resource validation. */
    custom?: boolean;
    /** URN of the parent resource, if recorded. */
    parent?: string;
    /** URNs of the resources this one depends on, if recorded. */
    dependencies?: string[];
}

export type ViolationLevel = "advisory" | "mandatory" | "disabled";

/** A reviewed exemption that covers a violation (set by the promotion driver from the stack's exemptions). */
export interface ExemptionMark {
    /** active: the violation does not block; expired: it counts again. */
    status: "active" | "expired";
    policy: string;
    resource: string;
    reason: string;
    approver: string;
    expires: string;
}

export interface PolicyViolation {
    policyName: string;
    policyPackName: string;
    enforcementLevel: ViolationLevel;
    resourceUrn?: string;
    message: string;
    exemption?: ExemptionMark;
}

/** One pack's config, in the JSON format of `pulumi preview --policy-pack-config`. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** Config per pack name. */
export type PolicyConfigByPack = Record<string, PolicyPackConfig | undefined>;

/**
 * What `args.notApplicable()` throws. Not an Error: a typed validation throws one for every
 * resource of another type, and capturing a stack trace each time cost most of an evaluation.
 */
class NotApplicable {
    constructor(readonly reason: string) {}
}

type ResourceClass = { new (...rest: any[]): unknown };

/** The type token an SDK class, or a function made by `validateResourceOfType`, carries; undefined if none. */
function pulumiTypeOf(classOrValidation: unknown): string | undefined {
    const token = (classOrValidation as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof token === "string" && token !== "" ? token : undefined;
}

function isTypeOf(type: string, resourceClass: ResourceClass): boolean {
    const token = pulumiTypeOf(resourceClass);
    if (token !== undefined) {
        return type === token;
    }
    const isInstance = (resourceClass as unknown as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** Defaults of a config schema's properties. */
function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema?.properties ?? {})) {
        const value = (property as { default?: unknown }).default;
        if (value !== undefined) {
            defaults[key] = value;
        }
    }
    return defaults;
}

/** The level and config of one policy, as the CLI resolves them: per-policy entry, then "all", then the policy, then the pack. */
export function resolvePolicyConfig(policy: Policy, packConfig: PolicyPackConfig | undefined): { level: EnforcementLevel; config: Record<string, unknown> } {
    const entry = packConfig?.[policy.name];
    const all = packConfig?.["all"];
    const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
    const entryLevel = typeof entry === "string" ? entry : entry?.enforcementLevel;
    const level = entryLevel ?? allLevel ?? policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
    const properties: Record<string, unknown> = typeof entry === "object" && entry !== null ? { ...entry } : {};
    delete properties.enforcementLevel;
    return { level, config: { ...schemaDefaults(policy.configSchema), ...properties } };
}

function propsOf(resource: RecordedResourceLike): Record<string, any> {
    return resource.inputs ?? resource.props ?? {};
}

function reportedLevel(level: EnforcementLevel): ViolationLevel {
    return level === "remediate" ? "mandatory" : level;
}

function isResourcePolicy(policy: Policy): policy is ResourceValidationPolicy {
    return (policy as ResourceValidationPolicy).validateResource !== undefined;
}

function isStackPolicy(policy: Policy): policy is StackValidationPolicy {
    return typeof (policy as StackValidationPolicy).validateStack === "function";
}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason ?? "not applicable");
}

function toPolicyResources(resources: readonly RecordedResourceLike[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const result = resources.map((r) => {
        const props = propsOf(r);
        const resource: PolicyResource = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props,
            opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], parent: r.parent },
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls as ResourceClass),
            asType: ((cls: ResourceClass) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
        };
        byUrn.set(r.urn, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        result[i].dependencies = (r.dependencies ?? []).map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined);
        result[i].parent = r.parent ? byUrn.get(r.parent) : undefined;
    });
    return result;
}

/** Indices of the custom resources (the ones resource policies validate), per type token. */
function customResourcesByType(resources: readonly RecordedResourceLike[]): Map<string, number[]> {
    const byType = new Map<string, number[]>();
    resources.forEach((resource, i) => {
        if (resource.custom === false) return;
        const same = byType.get(resource.type);
        if (same) same.push(i);
        else byType.set(resource.type, [i]);
    });
    return byType;
}

/**
 * The resources a resource policy's validations can apply to, in declaration order: those of
 * the types its validations are made for, or every custom resource when one of them checks any
 * type. A function made by `validateResourceOfType` reports nothing but "not applicable" for
 * any other type, so it is not called for them (the policy SDK's server skips them the same way).
 */
function candidates(validationTypes: readonly (string | undefined)[], byType: Map<string, number[]>, allCustom: readonly number[]): readonly number[] {
    if (validationTypes.some((type) => type === undefined)) {
        return allCustom;
    }
    const types = new Set(validationTypes as string[]);
    if (types.size === 1) {
        return byType.get([...types][0]) ?? [];
    }
    return [...types].flatMap((type) => byType.get(type) ?? []).sort((a, b) => a - b);
}

/**
 * Evaluates every policy of `packs` on `resources`: resource policies on each custom resource,
 * stack policies once on all of them. Returns every violation with its resolved enforcement
 * level; disabled policies do not run. A rule that throws aborts the evaluation with an error
 * naming the policy and the resource, as the CLI would.
 */
export async function evaluatePolicies(
    resources: readonly RecordedResourceLike[],
    packs: readonly PolicyPackDefinition[],
    config: PolicyConfigByPack = {},
    stackTags: ReadonlyMap<string, string> = new Map(),
): Promise<PolicyViolation[]> {
    const violations: PolicyViolation[] = [];
    const policyResources = toPolicyResources(resources);
    const byType = customResourcesByType(resources);
    const allCustom = [...byType.values()].flat().sort((a, b) => a - b);
    for (const pack of packs) {
        for (const policy of pack.policies) {
            const { level, config: policyConfig } = resolvePolicyConfig(policy, config[pack.name]);
            if (level === "disabled") {
                continue;
            }
            const report = (resourceUrn?: string) => (message: string, urn?: string) => {
                violations.push({ policyName: policy.name, policyPackName: pack.name, enforcementLevel: reportedLevel(level), resourceUrn: urn ?? resourceUrn, message });
            };
            const getConfig = <T extends object>(): T => ({ ...policyConfig }) as T;
            if (isResourcePolicy(policy)) {
                const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
                const validationTypes = validations.map(pulumiTypeOf);
                for (const i of candidates(validationTypes, byType, allCustom)) {
                    const resource = resources[i];
                    const pr = policyResources[i];
                    const args: ResourceValidationArgs = {
                        type: pr.type,
                        props: pr.props,
                        urn: pr.urn,
                        name: pr.name,
                        opts: pr.opts,
                        stackTags,
                        isType: pr.isType,
                        asType: pr.asType as ResourceValidationArgs["asType"],
                        getConfig,
                        notApplicable,
                    };
                    const reportHere = report(resource.urn);
                    const reportViolation = (message: string) => reportHere(message);
                    for (const [j, validation] of validations.entries()) {
                        if (validationTypes[j] !== undefined && validationTypes[j] !== resource.type) {
                            continue;
                        }
                        const pending = run(validation, args, reportViolation, policy.name, resource.urn);
                        if (pending) await pending;
                    }
                }
            }
            if (isStackPolicy(policy)) {
                const args: StackValidationArgs = { resources: policyResources, stackTags, getConfig, notApplicable };
                const pending = run((a: StackValidationArgs, r: ReportViolation) => policy.validateStack(a, r), args, report(undefined), policy.name);
                if (pending) await pending;
            }
        }
    }
    return violations;
}

/**
 * Runs one validation; returns a promise only when the validation returned one, so that the
 * synchronous rules (nearly all) cost no turn of the event loop per resource.
 */
function run<A>(
    validate: (args: A, reportViolation: ReportViolation) => void | Promise<void>,
    args: A,
    reportViolation: ReportViolation,
    policyName: string,
    urn?: string,
): Promise<void> | undefined {
    const failed = (error: unknown): void => {
        if (error instanceof NotApplicable) {
            return;
        }
        const where = urn ? ` on ${urn}` : "";
        throw new Error(`policy ${policyName} failed${where}: ${error instanceof Error ? error.message : String(error)}`);
    };
    try {
        const result = validate(args, reportViolation);
        if (result && typeof (result as Promise<void>).then === "function") {
            return Promise.resolve(result).then(undefined, failed);
        }
    } catch (error) {
        failed(error);
    }
    return undefined;
}

/** Violations that block a deployment: mandatory ones no active exemption covers. */
export function mandatoryViolations(violations: readonly PolicyViolation[]): PolicyViolation[] {
    return violations.filter((v) => v.enforcementLevel === "mandatory" && v.exemption?.status !== "active");
}
