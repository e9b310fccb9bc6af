/**
 * How policies find an OtpGate in a stack: its seed secret, marked `role = ROLE.otpGateSecret`
 * (a Kubernetes Secret via `LABEL.role`, or a Secrets Manager secret via `TAG.role`).
 */
import { aws, k8s } from "./resourceClasses";
import { ANNOTATION, ROLE, TAG } from "../../contract/markers";
import { markersOf, roleOf } from "./props";
import { typeTokens } from "./types";

export interface StackResourceLike {
    type: string;
    name: string;
    urn: string;
    props: Record<string, any>;
}

/** Type tokens a gate secret can have. */
const GATE_SECRET_TYPES: ReadonlySet<string> = typeTokens(k8s.core.v1.Secret, aws.secretsmanager.Secret);

/** The gate secrets of a stack. */
export function gateSecretsIn<R extends StackResourceLike>(resources: readonly R[]): R[] {
    return resources.filter((r) => GATE_SECRET_TYPES.has(r.type) && roleOf(r.props) === ROLE.otpGateSecret);
}

/**
 * The gate a secret belongs to: its `TAG.otpGate` tag or `ANNOTATION.otpGate` annotation; a
 * secret without either belongs to whichever gate its resource name starts with.
 */
export function secretBelongsToGate(secret: StackResourceLike, gateName: string): boolean {
    const markers = markersOf(secret.props);
    const declared = markers[TAG.otpGate] ?? markers[ANNOTATION.otpGate];
    return declared !== undefined ? declared === gateName : secret.name === gateName || secret.name.startsWith(`${gateName}-`);
}
