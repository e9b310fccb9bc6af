import * as k8s from "@pulumi/kubernetes";
import { StackValidationPolicy } from "@pulumi/policy";
import { ANNOTATION } from "../../../../components/shared/markers";
import { gateSecretsIn, secretBelongsToGate } from "../../../shared/gate";
import { objectName, objectNamespace } from "../../../shared/kubernetes";
import { typeToken } from "../../../shared/types";
import { gateAnnotationOf, gatedContainers, isSyncWorkload } from "./syncWorkloads";

/**
 * Severity: critical. Topics: OTP gate, cross-region sync.
 */
export const syncWorkloadGateExists: StackValidationPolicy = {
    name: "sync-workload-gate-exists",
    description:
        `For every cross-region sync workload, the gate named by its ${ANNOTATION.otpGate} annotation exists in the stack (a gate secret with role otp-gate-secret belonging to that gate), ` +
        "and the Secret its seed env references by secretKeyRef is a Kubernetes Secret with role otp-gate-secret in the workload's namespace (when both namespaces are known).",
    enforcementLevel: "advisory",
    severity: "critical",
    validateStack: (args, reportViolation) => {
        const gateSecrets = gateSecretsIn(args.resources);
        const k8sGateSecrets = gateSecrets.filter((s) => s.type === typeToken(k8s.core.v1.Secret));
        for (const workload of args.resources.filter((r) => isSyncWorkload(r.type, r.props))) {
            const gate = gateAnnotationOf(workload.type, workload.props);
            if (gate !== undefined && !gateSecrets.some((s) => secretBelongsToGate(s, gate))) {
                reportViolation(`Sync workload ${workload.name} names OTP gate ${gate}, which the stack does not declare: declare the OtpGate ${gate} (its seed secret) in this stack.`, workload.urn);
            }
            const namespace = objectNamespace(workload.props);
            for (const ref of gatedContainers(workload.type, workload.props)) {
                // An unknown namespace (on either side) cannot rule a secret out.
                const found = k8sGateSecrets.some((s) => {
                    const secretNamespace = objectNamespace(s.props);
                    return objectName(s.props, s.name) === ref.secretName && (namespace === undefined || secretNamespace === undefined || secretNamespace === namespace);
                });
                if (!found) {
                    reportViolation(
                        `Container ${ref.container} of ${workload.name} reads its seed from Secret ${namespace ?? "<namespace not known>"}/${ref.secretName}, which is not an OTP gate secret of this stack: point secretKeyRef.name at the gate's Secret.`,
                        workload.urn,
                    );
                }
            }
        }
    },
};
