/**
 * The stack's monthly budget: alerts at 50 %, 80 % and 100 % of the cap (seed 002 section 7.1),
 * each on actual and on forecasted spend, published to a KMS-encrypted SNS topic (and e-mail).
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { COST_CONTROLS } from "../../contract/seedFigures";
import { TAG } from "../../contract/markers";

export interface CostGuardArgs {
    /** Monthly cap, USD. */
    monthlyCapUsd: number;
    /** Stack whose tagged costs the budget counts (cost allocation tag TAG.stack must be active). */
    stack: string;
    /** Key that encrypts the alert topic. */
    kmsKeyArn: pulumi.Input<string>;
    /** E-mail subscribers of every alert. */
    alertEmails?: string[];
    /** Percentages of the cap that alert (default: the seed's 50/80/100). */
    thresholdsPercent?: readonly number[];
    tags: Record<string, string>;
}

export type BudgetNotification = aws.types.input.budgets.BudgetNotification;

/** Notifications for each threshold, on actual and forecasted spend (pure, tested). */
export function budgetNotifications(
    thresholds: readonly number[],
    topicArn: pulumi.Input<string>,
    emails: string[],
): BudgetNotification[] {
    return thresholds.flatMap((threshold) =>
        (["ACTUAL", "FORECASTED"] as const).map((notificationType) => ({
            comparisonOperator: "GREATER_THAN",
            threshold,
            thresholdType: "PERCENTAGE",
            notificationType,
            subscriberSnsTopicArns: [topicArn],
            ...(emails.length > 0 ? { subscriberEmailAddresses: emails } : {}),
        })),
    );
}

export class CostGuard extends pulumi.ComponentResource {
    readonly budgetName: pulumi.Output<string>;
    readonly alertTopicArn: pulumi.Output<string>;

    constructor(name: string, args: CostGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:CostGuard", name, {}, opts);
        if (!(args.monthlyCapUsd > 0)) {
            throw new Error(`CostGuard ${name}: monthlyCapUsd ${args.monthlyCapUsd} must be greater than 0`);
        }
        const topic = new aws.sns.Topic(`${name}-alerts`, { kmsMasterKeyId: args.kmsKeyArn, tags: args.tags }, { parent: this });
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        new aws.sns.TopicPolicy(`${name}-alerts`, {
            arn: topic.arn,
            policy: pulumi.all([topic.arn, identity.accountId]).apply(([arn, accountId]) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "BudgetsPublishes",
                    Effect: "Allow",
                    Principal: { Service: "budgets.amazonaws.com" },
                    Action: "SNS:Publish",
                    Resource: arn,
                    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                }],
            })),
        }, { parent: this });

        const budget = new aws.budgets.Budget(name, {
            budgetType: "COST",
            timeUnit: "MONTHLY",
            limitAmount: args.monthlyCapUsd.toFixed(2),
            limitUnit: "USD",
            costFilters: [{ name: "TagKeyValue", values: [`user:${TAG.stack}$${args.stack}`] }],
            notifications: budgetNotifications(args.thresholdsPercent ?? COST_CONTROLS.budgetAlertPercents, topic.arn, args.alertEmails ?? []),
            tags: args.tags,
        }, { parent: this });

        this.budgetName = budget.name;
        this.alertTopicArn = topic.arn;
        this.registerOutputs({ budgetName: this.budgetName, alertTopicArn: this.alertTopicArn });
    }
}
