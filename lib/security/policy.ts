/**
 * IAM policy statements as plain data, and the one place that renders them to JSON.
 *
 * Constructs grant permissions by handing statements to an {@link IGrantable}
 * (`bucket.grantRead(identity)`), so least-privilege scoping lives next to the
 * resource that knows its ARNs, not in every caller.
 */

/** One IAM policy statement. `resources` may hold Terraform tokens (ARNs of other resources). */
export interface PolicyStatement {
  /** Statement id; letters and digits only. @default none */
  readonly sid?: string;
  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** IAM condition block, e.g. `{ Bool: { "aws:SecureTransport": "false" } }`. @default none */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Something that can receive permissions: a workload identity, a node role. */
export interface IGrantable {
  /** Adds a statement to the principal's own (inline) policy. */
  addToPrincipalPolicy(statement: PolicyStatement): void;
}

/** Renders statements as an IAM policy document string (tokens stay in place for Terraform to resolve). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? "Allow",
      Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
      Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources],
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/**
 * Who may make the service assume the role (cross-service confused deputy prevention):
 * the calling resource's account and, when it is known before the role exists, its ARN.
 */
export interface ServiceTrustScope {
  /** Account that owns the calling resource (`aws:SourceAccount`), usually the stack's own. */
  readonly sourceAccount: string;
  /** ARN (or ARN pattern with `*`) of the calling resource (`aws:SourceArn`, matched with ArnLike). @default none */
  readonly sourceArn?: string;
}

/**
 * Renders a trust policy that lets an AWS service assume a role. Pass `scope` so the
 * service acts only for resources of this account (the compliance pack's HR-IAM-7 requires
 * it for every service that documents `aws:SourceAccount`/`aws:SourceArn`; EC2 instance roles
 * are the documented exception).
 *
 * @example
 * serviceTrustPolicy(["monitoring.rds.amazonaws.com"], ["sts:AssumeRole"], { sourceAccount: ctx.accountId });
 */
export function serviceTrustPolicy(
  servicePrincipals: readonly string[],
  actions: readonly string[] = ["sts:AssumeRole"],
  scope?: ServiceTrustScope,
): string {
  const condition = scope
    ? {
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.sourceAccount },
          ...(scope.sourceArn ? { ArnLike: { "aws:SourceArn": scope.sourceArn } } : {}),
        },
      }
    : {};
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: servicePrincipals.length === 1 ? servicePrincipals[0] : [...servicePrincipals] },
        Action: actions.length === 1 ? actions[0] : [...actions],
        ...condition,
      },
    ],
  });
}
