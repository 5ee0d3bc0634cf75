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

/** Renders a trust policy that lets an AWS service assume a role. */
export function serviceTrustPolicy(servicePrincipals: readonly string[], actions: readonly string[] = ["sts:AssumeRole"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: servicePrincipals.length === 1 ? servicePrincipals[0] : [...servicePrincipals] },
        Action: actions.length === 1 ? actions[0] : [...actions],
      },
    ],
  });
}
