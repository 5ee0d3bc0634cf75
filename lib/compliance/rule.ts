/**
 * The contract of one hardening rule: a pure function over ONE synthesized
 * Terraform item (a resource, a data source, a provider block or the stack's
 * `terraform` block) that says compliant, non-compliant or not applicable.
 *
 * Rules never see constructs, only the JSON that Terraform will apply, so a
 * setting changed by an escape hatch (`addOverride`) is judged as deployed.
 *
 * @example
 * export const HR_KMS_1: ComplianceRule = {
 *   id: "HR-KMS-1", severity: "medium", appliesTo: ["aws_kms_key"],
 *   title: "KMS keys rotate", rationale: "...", fix: "enableKeyRotation: true",
 *   evaluate: (key) => (key.config.enable_key_rotation === true ? compliant() : nonCompliant("rotation is off")),
 * };
 */

/** How bad a violation is. Every non-compliant result fails synth; severity orders the rule table. */
export type Severity = "critical" | "high" | "medium" | "low";

/**
 * Kind of a synthesized item: a `resource`, a `data` source, a `provider` block, the `terraform`
 * block, an `output`, a `variable`, the stack's `locals` (the last three are seen only by
 * rules that apply to `*`), a `module` call (rules that apply to `module`), or `external`
 * content the pack cannot read: files a construct adds to the stack directory with
 * `addCustomSynthesis` (rules that apply to `external`).
 */
export type ItemKind = "resource" | "data" | "provider" | "terraform" | "output" | "variable" | "locals" | "module" | "external";

/** One synthesized item, as cdktf writes it (snake_case keys, references as `${type.name.attr}`). */
export interface SynthResource {
  /** What kind of item this is. */
  readonly kind: ItemKind;
  /** Terraform type, e.g. `aws_eks_cluster`; `terraform` for the terraform block; the provider name for providers. */
  readonly type: string;
  /** Logical name inside its type, e.g. `cluster_Resource_1A2B3C4D`; `""` for the terraform block. */
  readonly name: string;
  /** Terraform address: `aws_eks_cluster.x`, `data.aws_iam_policy_document.x`, `provider.aws[0]`, `terraform`, `output.x`, `var.x`, `locals`. */
  readonly address: string;
  /** The item's configuration without cdktf's `//` metadata. Blocks may be objects or arrays; read them with the `private/json` helpers. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Construct path that produced the item, when cdktf recorded it (used to match suppressions). */
  readonly constructPath?: string;
}

/** Options that change what rules accept, set when the pack is applied. */
export interface RuleOptions {
  /** Local (unencrypted, unlocked) Terraform state is accepted: developer mode only. */
  readonly allowLocalState: boolean;
  /** Namespaces allowed to enforce the privileged Pod Security level, with the reason. @default PRIVILEGED_NAMESPACES */
  readonly privilegedNamespaces?: Readonly<Record<string, string>>;
  /** Whether the stack is production; undefined: decided from the `environment` tag (ENVIRONMENT_TAG). @default undefined */
  readonly production?: boolean;
}

/** Read access to the whole synthesized stack, for rules that need another resource. */
export interface RuleContext {
  /** The parsed stack JSON as `stack.toTerraform()` returns it; prefer the helpers below. */
  readonly stack: Readonly<Record<string, unknown>>;
  /** Options the pack was applied with. */
  readonly options: RuleOptions;
  /** Every resource (kind `resource`) of one Terraform type in the stack. */
  resources(type: string): readonly SynthResource[];
  /** The resource or data source a reference string such as `${aws_kms_key.k.arn}` points to, if it is in this stack. */
  resolve(reference: unknown): SynthResource | undefined;
  /**
   * Resources of `type` whose `attribute` (a top-level key) references `target`,
   * e.g. every `aws_flow_log` whose `vpc_id` is `${aws_vpc.main.id}`.
   */
  referencing(type: string, attribute: string, target: SynthResource): readonly SynthResource[];
}

/** The item passes the rule. */
export interface Compliant {
  readonly status: "compliant";
}

/** The item fails the rule; it fails synth unless suppressed. */
export interface NonCompliant {
  readonly status: "non-compliant";
  /** What is wrong, specific to this item. */
  readonly reason: string;
  /** How to fix this item. @default the rule's `fix` */
  readonly fix?: string;
  /** The offending value, for the error message. @default none */
  readonly value?: unknown;
}

/** The rule does not apply to this item (e.g. backups on a read replica). */
export interface NotApplicable {
  readonly status: "not-applicable";
  /** Why the rule does not apply. */
  readonly reason: string;
}

/** What a rule says about one item. */
export type RuleResult = Compliant | NonCompliant | NotApplicable;

/** Upstream scanner and benchmark ids this rule corresponds to (verified ids only; empty when none exists). */
export interface UpstreamIds {
  /** Checkov check ids, e.g. `CKV_AWS_39`. @default none */
  readonly checkov?: readonly string[];
  /** Trivy (formerly tfsec) AVD ids, e.g. `AVD-AWS-0040`. @default none */
  readonly trivy?: readonly string[];
  /** CIS benchmark sections, e.g. `CIS AWS 1.4 5.3`. @default none */
  readonly cis?: readonly string[];
}

/** One hardening rule. */
export interface ComplianceRule {
  /** Stable id used in errors and suppressions, e.g. `HR-EKS-1`. */
  readonly id: string;
  /** How bad a violation is. */
  readonly severity: Severity;
  /** What the rule checks, one line. */
  readonly title: string;
  /** Why it matters, one or two sentences. */
  readonly rationale: string;
  /** The default remediation, naming the Terraform attribute or construct prop. */
  readonly fix: string;
  /**
   * Terraform types the rule inspects (resources), or `terraform` (the terraform
   * block), `provider` (every provider block), `module` (every module call), `external`
   * (content written outside the stack JSON), `*` (every item of every kind).
   */
  readonly appliesTo: readonly string[];
  /** Matching upstream ids. @default none */
  readonly upstream?: UpstreamIds;
  /** Judges one item. Must be pure: read `resource` and `context`, never mutate them. */
  evaluate(resource: SynthResource, context: RuleContext): RuleResult;
}

/** The item passes. */
export function compliant(): Compliant {
  return { status: "compliant" };
}

/** The item fails, with what is wrong and optionally a specific fix and the offending value. */
export function nonCompliant(reason: string, details: { readonly fix?: string; readonly value?: unknown } = {}): NonCompliant {
  return { status: "non-compliant", reason, ...details };
}

/** The rule does not apply to this item, and why. */
export function notApplicable(reason: string): NotApplicable {
  return { status: "not-applicable", reason };
}

/** Folds several findings about one item into one result: compliant only if there is none. */
export function allOf(problems: readonly string[], details: { readonly fix?: string; readonly value?: unknown } = {}): RuleResult {
  return problems.length === 0 ? compliant() : nonCompliant(problems.join("; "), details);
}
