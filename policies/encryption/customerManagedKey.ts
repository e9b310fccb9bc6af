/**
 * The check shared by the encryption-at-rest rules whose resources have an "encrypted" flag and a
 * KMS key field (EBS volumes, RDS instances and clusters, ElastiCache replication groups): the
 * flag is true and the key is set, so the data is encrypted with a customer managed key rather
 * than the service's AWS managed one. A key computed during preview (unknown) counts as set.
 */
import { ReportViolation } from "@pulumi/policy";
import { isSet, isTrue } from "../shared/props";

export interface CustomerManagedKeyCheck {
    /** The boolean input that turns encryption on (e.g. "encrypted", "storageEncrypted"). */
    encryptedFlag: string;
    /** The input naming the KMS key (e.g. "kmsKeyId"). */
    keyField: string;
    /** Message when the flag is not true. */
    notEncrypted: string;
    /** Message when encrypted without a key of its own (the AWS managed key). */
    awsManagedKey: string;
}

/** A `validateResourceOfType` callback that reports the missing flag or the missing key. */
export function requireCustomerManagedKey(check: CustomerManagedKeyCheck): (resource: object, args: unknown, reportViolation: ReportViolation) => void {
    return (resource, _args, reportViolation) => {
        if (!isTrue(resource, check.encryptedFlag)) {
            reportViolation(check.notEncrypted);
        } else if (!isSet(resource, check.keyField)) {
            reportViolation(check.awsManagedKey);
        }
    };
}
