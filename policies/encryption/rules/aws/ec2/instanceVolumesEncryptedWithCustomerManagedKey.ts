import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, isTrue, list, read } from "../../../../shared/props";

/**
 * An instance launched from a launch template takes its volumes from it (checked by the launch template rule).
 */
export const instanceVolumesEncryptedWithCustomerManagedKey: ResourceValidationPolicy = {
    name: "instance-volumes-encrypted-with-customer-managed-key",
    description:
        "Every EC2 instance (aws.ec2.Instance) not launched from a launch template declares rootBlockDevice with encrypted true and a kmsKeyId; every ebsBlockDevices entry (with or without a launch template) sets encrypted true and a kmsKeyId.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "EC2", "EBS"],
    validateResource: validateResourceOfType(aws.ec2.Instance, (instance, _args, reportViolation) => {
        const usesLaunchTemplate = read(instance, "launchTemplate") !== undefined;
        const root = read(instance, "rootBlockDevice");
        if (root === undefined) {
            if (!usesLaunchTemplate) {
                reportViolation("The instance has no rootBlockDevice, so its root volume follows the AMI: set rootBlockDevice { encrypted: true, kmsKeyId: <key ARN> }.");
            }
        } else if (!isTrue(root, "encrypted")) {
            reportViolation("The root volume is not encrypted: set rootBlockDevice.encrypted true and rootBlockDevice.kmsKeyId.");
        } else if (!isSet(root, "kmsKeyId")) {
            reportViolation("The root volume uses the AWS managed EBS key: set rootBlockDevice.kmsKeyId to a customer managed key ARN.");
        }
        for (const device of list(instance, "ebsBlockDevices")) {
            const name = read(device, "deviceName") ?? "?";
            if (!isTrue(device, "encrypted") || !isSet(device, "kmsKeyId")) {
                reportViolation(`Data volume ${name} is not encrypted with a customer managed key: set encrypted true and kmsKeyId.`);
            }
        }
    }),
};
