import { aws } from "../../../../shared/resourceClasses";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet, isTrue, list, read } from "../../../../shared/props";

/**
 * Without a block device mapping the root volume inherits the AMI's (usually unencrypted) setting.
 */
export const launchTemplateVolumesEncryptedWithCustomerManagedKey: ResourceValidationPolicy = {
    name: "launch-template-volumes-encrypted-with-customer-managed-key",
    description:
        "Every EC2 launch template (aws.ec2.LaunchTemplate) declares at least one EBS block device mapping (the root volume), and every mapping with an `ebs` block sets encrypted \"true\" and an explicit kmsKeyId.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["encryption at rest", "EC2", "EBS"],
    validateResource: validateResourceOfType(aws.ec2.LaunchTemplate, (template, _args, reportViolation) => {
        const mappings = list(template, "blockDeviceMappings").filter((m) => read(m, "ebs") !== undefined);
        if (mappings.length === 0) {
            reportViolation("The launch template has no EBS block device mapping, so the root volume follows the AMI: map the root device (e.g. /dev/xvda) with ebs { encrypted: \"true\", kmsKeyId: <key ARN> }.");
        }
        for (const mapping of mappings) {
            const device = read(mapping, "deviceName") ?? "?";
            if (!isTrue(mapping, "ebs", "encrypted")) {
                reportViolation(`Block device ${device} is not encrypted: set ebs.encrypted "true" and ebs.kmsKeyId to a customer managed key ARN.`);
            } else if (!isSet(mapping, "ebs", "kmsKeyId")) {
                reportViolation(`Block device ${device} uses the AWS managed EBS key: set ebs.kmsKeyId to a customer managed key ARN.`);
            }
        }
    }),
};
