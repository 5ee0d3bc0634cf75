/** RDS helpers: replicas and their engine, resolved through `replicate_source_db`. */
import { RuleContext, SynthResource } from "../rule";
import { isSet } from "./json";

/** True for a read replica (it has `replicate_source_db`). */
export function isReplica(instance: SynthResource): boolean {
  return isSet(instance.config["replicate_source_db"]);
}

/**
 * The engine of an instance: its own `engine`, or for a replica the engine of
 * its source instance in the same stack (replicas inherit the engine and
 * usually leave it unset). Undefined when it cannot be resolved.
 */
export function engineOf(instance: SynthResource, context: RuleContext, seen: ReadonlySet<string> = new Set()): string | undefined {
  const own = instance.config["engine"];
  if (isSet(own)) return own;
  if (!isReplica(instance) || seen.has(instance.address)) return undefined;
  const source = context.resolve(instance.config["replicate_source_db"]);
  if (!source || source.type !== "aws_db_instance") return undefined;
  return engineOf(source, context, new Set([...seen, instance.address]));
}

/** Engine families whose instances support IAM database authentication. */
export function supportsIamAuth(engine: string): boolean {
  return /^(postgres|mysql|mariadb|aurora-postgresql|aurora-mysql|aurora)$/.test(engine);
}

/** The parameter that forces TLS for an engine, and the values that turn it on. */
export function forceTlsParameter(engine: string): { readonly name: string; readonly values: readonly string[] } | undefined {
  if (engine.includes("postgres")) return { name: "rds.force_ssl", values: ["1"] };
  if (engine.includes("mysql") || engine === "mariadb") return { name: "require_secure_transport", values: ["1", "ON", "on"] };
  if (engine.startsWith("sqlserver")) return { name: "rds.force_ssl", values: ["1"] };
  return undefined;
}
