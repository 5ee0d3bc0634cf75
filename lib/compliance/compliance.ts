import { IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Problems, ValidationError } from "../core/validation";
import { ALL_RULES } from "./all-rules";
import { evaluate, Finding } from "./private/engine";
import { ComplianceRule, Severity, SynthResource } from "./rule";

/** Minimum length of a suppression's written reason, in characters (after trimming). */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

/** How the pack runs on a stack. */
export interface ComplianceOptions {
  /**
   * Accept local Terraform state (no backend, or the local backend): developer
   * mode only. With it HR-STATE-1 is "not applicable" for stacks without a
   * remote backend; a remote backend is still checked.
   * @default false
   */
  readonly allowLocalState?: boolean;
  /** The rules to run. @default ALL_RULES (every built-in rule) */
  readonly rules?: readonly ComplianceRule[];
  /** Extra rules run after `rules`, e.g. a team's own. @default none */
  readonly additionalRules?: readonly ComplianceRule[];
  /**
   * Where the list of suppressed findings is printed, once per stack synth
   * (nothing is printed when nothing is suppressed); `false` prints nothing.
   * The same list is always available as `Compliance.of(stack).report`.
   * @default console.log
   */
  readonly log?: ((line: string) => void) | false;
  /**
   * Namespaces allowed to enforce the `privileged` Pod Security level, with the reason each
   * needs it (HR-K8S-6). Replaces the default list; spread it to extend.
   * @default PRIVILEGED_NAMESPACES (kube-system, gpu-system, monitoring)
   */
  readonly privilegedNamespaces?: Readonly<Record<string, string>>;
  /**
   * Whether the stack is production (HR-EKS-6 then requires EKS deletion protection).
   * @default decided from the `environment` tag of the AWS provider's default tags or the resource (ENVIRONMENT_TAG)
   */
  readonly production?: boolean;
}

/** A rule switched off for one construct (and everything under it), with the reason. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Path of the construct the suppression was added to. */
  readonly constructPath: string;
}

/** A non-compliant finding that fails synth. */
export interface Violation {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Terraform address, e.g. `aws_eks_cluster.cluster_Resource_1A2B3C4D`. */
  readonly address: string;
  readonly constructPath?: string;
  readonly reason: string;
  readonly fix: string;
}

/** A non-compliant finding that a suppression turned off. */
export interface SuppressedFinding {
  readonly ruleId: string;
  readonly address: string;
  readonly constructPath?: string;
  /** What the rule found. */
  readonly finding: string;
  /** The suppression's written reason. */
  readonly reason: string;
}

/** The outcome of one run of the pack on one stack. */
export interface ComplianceReport {
  /** The stack's construct id. */
  readonly stackName: string;
  /** How many rules ran. */
  readonly ruleCount: number;
  /** Rule-item evaluations by outcome (suppressed findings count as non-compliant here). */
  readonly counts: { readonly compliant: number; readonly nonCompliant: number; readonly notApplicable: number };
  readonly violations: readonly Violation[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions that matched no non-compliant finding (stale; they can be removed). */
  readonly unusedSuppressions: readonly Suppression[];
  /** Suppressions naming a rule the pack does not run: an error at synth. */
  readonly unknownRuleSuppressions: readonly Suppression[];
  /** Wall time of the run (stack JSON resolution plus rules), in milliseconds. */
  readonly durationMs: number;
}

const SUPPRESSIONS = new WeakMap<TerraformStack, Suppression[]>();
const INSTANCES = new WeakMap<TerraformStack, Compliance>();

function covers(suppression: Suppression, constructPath: string | undefined, stackPath: string): boolean {
  if (suppression.constructPath === stackPath) return true;
  if (constructPath === undefined) return false;
  return constructPath === suppression.constructPath || constructPath.startsWith(`${suppression.constructPath}/`);
}

/**
 * The hardening pack on one stack: apply it (it then runs as a stack validation
 * on every `Testing.synth(stack, true)` and `app.synth()`, and throws a
 * {@link ValidationError} listing every violation), suppress findings with a
 * written reason, and read the last report.
 *
 * @example
 * Compliance.of(stack).apply({ allowLocalState: process.env.HEADROOM_LOCAL_STATE === "1" });
 * Compliance.suppress(bastionGroup, "HR-NET-1", "SSH from the office VPN range only, reviewed 2026-11");
 */
export class Compliance {
  /** The pack handle of `stack` (created on first use; applying is separate). */
  public static of(stack: TerraformStack): Compliance {
    let instance = INSTANCES.get(stack);
    if (!instance) {
      instance = new Compliance(stack);
      INSTANCES.set(stack, instance);
    }
    return instance;
  }

  /**
   * Suppresses `ruleId` for `construct` and every resource under it, with a
   * written reason (at least {@link MIN_SUPPRESSION_REASON_LENGTH} characters).
   * Suppressing on the stack itself covers every item, including the `terraform` block.
   * @throws ValidationError `COMPLIANCE_SUPPRESSION_REASON` when the reason is too short,
   *   `COMPLIANCE_SUPPRESSION_RULE_ID` when the id is malformed. An id the pack does not
   *   run fails at synth with `COMPLIANCE_SUPPRESSION_UNKNOWN_RULE`.
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    const problems = new Problems(`compliance suppression on '${construct.node.path}'`);
    if (typeof ruleId !== "string" || !/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/.test(ruleId)) {
      problems.add("COMPLIANCE_SUPPRESSION_RULE_ID", "ruleId", ruleId, 'a rule id such as "HR-EKS-1" (see RULES.md)');
    }
    if (typeof reason !== "string" || reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
      problems.add(
        "COMPLIANCE_SUPPRESSION_REASON",
        "reason",
        reason,
        `a written reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters saying why the rule does not apply here`,
      );
    }
    problems.throwIfAny();
    const stack = TerraformStack.of(construct);
    const list = SUPPRESSIONS.get(stack) ?? [];
    list.push({ ruleId, reason: reason.trim(), constructPath: construct.node.path });
    SUPPRESSIONS.set(stack, list);
  }

  /** Every suppression added to constructs of `stack`, in the order they were added. */
  public static suppressionsOf(stack: TerraformStack): readonly Suppression[] {
    return [...(SUPPRESSIONS.get(stack) ?? [])];
  }

  private options: ComplianceOptions | undefined;
  private lastReport: ComplianceReport | undefined;

  private constructor(private readonly stack: TerraformStack) {}

  /** True once `apply` was called on this stack. */
  public get applied(): boolean {
    return this.options !== undefined;
  }

  /** The report of the last run (synth or `check()`), if any. */
  public get report(): ComplianceReport | undefined {
    return this.lastReport;
  }

  /** Every suppression in this stack. */
  public get suppressions(): readonly Suppression[] {
    return Compliance.suppressionsOf(this.stack);
  }

  /**
   * Runs the pack on every synth of this stack. Applying again replaces the
   * options (the validation is added once).
   */
  public apply(options: ComplianceOptions = {}): this {
    const first = this.options === undefined;
    this.options = options;
    if (first) this.stack.node.addValidation({ validate: () => this.validate() });
    return this;
  }

  /** Runs the pack now, without throwing, and returns (and keeps) the report. */
  public check(): ComplianceReport {
    return this.run().report;
  }

  private run(): { readonly report: ComplianceReport; readonly json: Record<string, unknown> } {
    const options = this.options ?? {};
    const rules = [...(options.rules ?? ALL_RULES), ...(options.additionalRules ?? [])];
    const started = performance.now();
    // The prototype's toTerraform() resolves every token exactly as synth writes it
    // (and bypasses a hand-over left by an earlier synth that failed later on).
    const json = TerraformStack.prototype.toTerraform.call(this.stack) as Record<string, unknown>;
    const ruleOptions = {
      allowLocalState: options.allowLocalState === true,
      ...(options.privilegedNamespaces ? { privilegedNamespaces: options.privilegedNamespaces } : {}),
      ...(options.production !== undefined ? { production: options.production } : {}),
    };
    const findings = evaluate(json, rules, ruleOptions, this.stack.node.path, externalContent(this.stack));
    const report = this.summarize(rules, findings, performance.now() - started);
    this.lastReport = report;
    return { report, json };
  }

  private summarize(rules: readonly ComplianceRule[], findings: readonly Finding[], durationMs: number): ComplianceReport {
    const byId = new Map(rules.map((r) => [r.id, r]));
    const suppressions = this.suppressions;
    const stackPath = this.stack.node.path;
    const used = new Set<Suppression>();
    const violations: Violation[] = [];
    const suppressed: SuppressedFinding[] = [];
    const counts = { compliant: 0, nonCompliant: 0, notApplicable: 0 };
    for (const finding of findings) {
      const result = finding.result;
      if (result.status === "compliant") counts.compliant++;
      else if (result.status === "not-applicable") counts.notApplicable++;
      else {
        counts.nonCompliant++;
        const match = suppressions.find((s) => s.ruleId === finding.ruleId && covers(s, finding.constructPath, stackPath));
        const where = { ruleId: finding.ruleId, address: finding.address, ...(finding.constructPath ? { constructPath: finding.constructPath } : {}) };
        if (match) {
          used.add(match);
          suppressed.push({ ...where, finding: result.reason, reason: match.reason });
        } else {
          const rule = byId.get(finding.ruleId)!;
          violations.push({ ...where, severity: rule.severity, reason: result.reason, fix: result.fix ?? rule.fix });
        }
      }
    }
    return {
      stackName: this.stack.node.id,
      ruleCount: rules.length,
      counts,
      violations,
      suppressed,
      unusedSuppressions: suppressions.filter((s) => !used.has(s) && byId.has(s.ruleId)),
      unknownRuleSuppressions: suppressions.filter((s) => !byId.has(s.ruleId)),
      durationMs,
    };
  }

  private validate(): string[] {
    const { report, json } = this.run();
    const log = this.options?.log === undefined ? console.log : this.options.log;
    if (log && (report.suppressed.length > 0 || report.unusedSuppressions.length > 0)) log(formatSuppressions(report));
    const problems = new Problems(`stack '${report.stackName}' under the Headroom hardening pack`);
    for (const s of report.unknownRuleSuppressions) {
      problems.add("COMPLIANCE_SUPPRESSION_UNKNOWN_RULE", s.constructPath, s.ruleId, "the id of a rule the pack runs (see RULES.md)");
    }
    for (const v of report.violations) {
      const where = v.constructPath ? `${v.address} (${v.constructPath})` : v.address;
      // One problem per finding keeps each message line short enough to read in full.
      for (const part of v.reason.split("; ")) problems.add(v.ruleId, where, part, `fix: ${v.fix}`);
    }
    problems.throwIfAny();
    handOver(this.stack, json);
    return [];
  }
}

/** The marker cdktf puts on a construct that writes files of its own at synth (`addCustomSynthesis`). */
const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");

/**
 * Constructs that write content outside the stack JSON (`addCustomSynthesis`, which
 * `TerraformAsset` uses): the pack cannot read those files, so each becomes an `external`
 * item for the rules (HR-TF-2).
 */
function externalContent(stack: TerraformStack): SynthResource[] {
  return stack.node
    .findAll()
    .filter((c) => (c as unknown as Record<symbol, unknown>)[CUSTOM_SYNTHESIS] !== undefined)
    .map((c) => ({
      kind: "external" as const,
      type: "custom_synthesis",
      name: c.node.path,
      address: `custom_synthesis.${c.node.path}`,
      config: { construct: c.constructor.name },
      constructPath: c.node.path,
    }));
}

/**
 * Resolving a stack to JSON is most of the pack's cost, and synth resolves it
 * again right after the validations run (`Testing.synth`, `StackSynthesizer`).
 * The validation therefore hands its result to the very next `toTerraform()`
 * call on the stack (once; nothing can change the tree in between), so a stack
 * is resolved once per synth with or without the pack.
 */
function handOver(stack: TerraformStack, json: Record<string, unknown>): void {
  const once = (): Record<string, unknown> => {
    delete (stack as { toTerraform?: unknown }).toTerraform;
    return json;
  };
  Object.defineProperty(stack, "toTerraform", { configurable: true, writable: true, value: once });
  // Synth is synchronous: if nothing consumed the hand-over (HCL output, or a later validation
  // failed), drop it before any other code can see JSON older than the tree.
  queueMicrotask(() => {
    if ((stack as { toTerraform?: unknown }).toTerraform === once) delete (stack as { toTerraform?: unknown }).toTerraform;
  });
}

/** The suppression listing printed at synth, one line per suppressed finding. */
export function formatSuppressions(report: ComplianceReport): string {
  const lines = [`[compliance] ${report.stackName}: ${report.suppressed.length} suppressed finding(s)`];
  for (const s of report.suppressed) lines.push(`  ${s.ruleId} ${s.address}: ${s.finding} -- suppressed: ${s.reason}`);
  for (const s of report.unusedSuppressions) lines.push(`  ${s.ruleId} on ${s.constructPath}: suppression matched nothing (remove it)`);
  return lines.join("\n");
}

/**
 * A cdktf Aspect that applies the pack to every stack it visits. cdktf invokes
 * aspects per stack, so add it to each stack (`Aspects.of(stack).add(pack)`), or
 * use {@link applyCompliance}, which also accepts an App.
 */
export class CompliancePack implements IAspect {
  /** @param options how the pack runs on each stack. */
  public constructor(public readonly options: ComplianceOptions = {}) {}

  /** Applies the pack when the visited node is a stack. */
  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) Compliance.of(node).apply(this.options);
  }
}

/**
 * Applies the pack to a stack, or to every stack already created under `scope`
 * (e.g. an App after its stacks are defined). Returns the stacks' handles.
 *
 * @example
 * applyCompliance(app, { allowLocalState: process.env.HEADROOM_STATE === "local" });
 * app.synth();
 */
export function applyCompliance(scope: IConstruct, options: ComplianceOptions = {}): readonly Compliance[] {
  const stacks = TerraformStack.isStack(scope) ? [scope] : scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  if (stacks.length === 0) {
    throw new ValidationError("compliance target", [
      { code: "COMPLIANCE_NO_STACK", path: scope.node.path || "(app)", value: scope.node.id, allowed: "a TerraformStack, or a scope that contains stacks" },
    ]);
  }
  return stacks.map((stack) => Compliance.of(stack).apply(options));
}
