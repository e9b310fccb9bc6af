/**
 * The parts of `@pulumi/aws` the program uses, loaded one service at a time.
 *
 * The package's index loads all of its ~300 service modules when it is imported (about 65 ms in
 * every process that runs the program: each preview, `up` and offline run). Components import
 * this module as `aws` instead and keep writing `aws.ec2.Vpc`; a service used for the first time
 * gets one line here.
 */
export * as acm from "@pulumi/aws/acm";
export * as autoscaling from "@pulumi/aws/autoscaling";
export * as budgets from "@pulumi/aws/budgets";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ebs from "@pulumi/aws/ebs";
export * as ec2 from "@pulumi/aws/ec2";
export * as eks from "@pulumi/aws/eks";
export * as elasticache from "@pulumi/aws/elasticache";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as lb from "@pulumi/aws/lb";
export * as rds from "@pulumi/aws/rds";
export * as route53 from "@pulumi/aws/route53";
export * as s3 from "@pulumi/aws/s3";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as sns from "@pulumi/aws/sns";
export * as ssm from "@pulumi/aws/ssm";
export * as vpc from "@pulumi/aws/vpc";
export { Provider } from "@pulumi/aws/provider";
export { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export type { Region } from "@pulumi/aws/types/enums";
export type * as types from "@pulumi/aws/types";
