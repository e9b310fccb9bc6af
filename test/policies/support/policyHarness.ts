/**
 * Runs one policy rule through the project's evaluator (policies/evaluator.ts) on a handful of
 * resources, and returns the violation messages. Never constructs a PolicyPack.
 */
import { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { evaluatePolicies, PolicyPackConfig, PolicyViolation, RecordedResourceLike } from "../../../policies/evaluator";

export interface ResourceSpec {
    type: string;
    props: Record<string, any>;
    name?: string;
    custom?: boolean;
}

let counter = 0;

/** A recorded resource with a URN of the shape the recording mocks produce. */
export function recorded(spec: ResourceSpec): RecordedResourceLike {
    const name = spec.name ?? `r${++counter}`;
    return { type: spec.type, name, urn: `urn:pulumi:test::ai-platform::${spec.type}::${name}`, inputs: spec.props, custom: spec.custom };
}

/** Violations of `policy` on `resources`, with optional per-policy config (figures). */
export async function violationsOf(policy: Policy, specs: ResourceSpec[], config: Record<string, unknown> = {}): Promise<PolicyViolation[]> {
    const packConfig: PolicyPackConfig = { [policy.name]: { enforcementLevel: "mandatory", ...config } };
    return evaluatePolicies(specs.map(recorded), [{ name: "test-pack", policies: [policy as ResourceValidationPolicy | StackValidationPolicy] }], { "test-pack": packConfig });
}

/** Just the messages. */
export async function messagesOf(policy: Policy, specs: ResourceSpec[], config: Record<string, unknown> = {}): Promise<string[]> {
    return (await violationsOf(policy, specs, config)).map((v) => v.message);
}

/** Deep copy of a fixture with one change applied. */
export function variant<T>(fixture: T, change: (copy: T) => void): T {
    const copy = JSON.parse(JSON.stringify(fixture)) as T;
    change(copy);
    return copy;
}
