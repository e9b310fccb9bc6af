import { k8s } from "../../../shared/resourceClasses";
import { StackValidationPolicy } from "@pulumi/policy";
import { ANNOTATION, SYNC_ENV } from "../../../../contract/markers";
import { gateSecretsIn, secretBelongsToGate } from "../../../shared/gate";
import { objectName, objectNamespace } from "../../../shared/kubernetes";
import { typeToken } from "../../../shared/types";
import { gateAnnotationOf, isSyncWorkload, secretFileOf, serviceContainers } from "../../syncWorkloads";

export const syncWorkloadGateExists: StackValidationPolicy = {
    name: "sync-workload-gate-exists",
    description:
        `For every cross-region sync workload, the gate named by its ${ANNOTATION.otpGate} annotation exists in the stack (a gate secret with role otp-gate-secret belonging to that gate), ` +
        `and the Secret volumes its ${SYNC_ENV.seedFile} and ${SYNC_ENV.payloadKeyFile} files come from are Kubernetes Secrets with role otp-gate-secret in the workload's namespace (when both namespaces are known).`,
    enforcementLevel: "advisory",
    severity: "critical",
    tags: ["OTP gate", "cross-region sync"],
    validateStack: (args, reportViolation) => {
        const gateSecrets = gateSecretsIn(args.resources);
        const k8sGateSecrets = gateSecrets.filter((s) => s.type === typeToken(k8s.core.v1.Secret));
        for (const workload of args.resources.filter((r) => isSyncWorkload(r.type, r.props))) {
            const gate = gateAnnotationOf(workload.type, workload.props);
            if (gate !== undefined && !gateSecrets.some((s) => secretBelongsToGate(s, gate))) {
                reportViolation(`Sync workload ${workload.name} names OTP gate ${gate}, which the stack does not declare: declare the OtpGate ${gate} (its seed secret) in this stack.`, workload.urn);
            }
            const namespace = objectNamespace(workload.props);
            for (const { name: container, container: spec } of serviceContainers(workload.type, workload.props)) {
                for (const envName of [SYNC_ENV.seedFile, SYNC_ENV.payloadKeyFile]) {
                    const file = secretFileOf(workload.type, workload.props, spec, envName);
                    if (typeof file === "string") continue; // the resource rules report it
                    // An unknown namespace (on either side) cannot rule a secret out.
                    const found = k8sGateSecrets.some((s) => {
                        const secretNamespace = objectNamespace(s.props);
                        return objectName(s.props, s.name) === file.secretName && (namespace === undefined || secretNamespace === undefined || secretNamespace === namespace);
                    });
                    if (!found) {
                        reportViolation(
                            `Container ${container} of ${workload.name} reads ${envName} from Secret ${namespace ?? "<namespace not known>"}/${file.secretName}, which is not an OTP gate secret of this stack: mount the gate's Secret instead.`,
                            workload.urn,
                        );
                    }
                }
            }
        }
    },
};
