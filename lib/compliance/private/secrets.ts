/** Heuristic scan for literal secrets in a block of Terraform JSON. */
import { isExpression, isObject } from "./json";

/** One suspected secret: where, and what kind (never the value itself). */
export interface SecretFinding {
  readonly path: string;
  readonly what: string;
}

// Keys whose string values are credentials. `auth` alone is too broad (auth_scheme).
const SECRET_KEY = /(password|passwd|secret|token|private_?key|api_?key|access_?key|credential)/i;
// Keys that merely name, locate or configure a secret (`secret_arn`, `REDIS_AUTH_SECRET_ARN`,
// `existingSecret`, `passwordKey`, `saslTokenProvider`, `http_tokens`).
const NOT_A_SECRET =
  /(arn|arns|id|ids|name|names|version|versions|type|mode|enabled|length|path|file|strategy|scheme|url|uri|ttl|rotation|policy|count|ref|key|keys|provider|method|source|format|kind)$|^existing|^http_tokens$/i;
// Keys that are secrets themselves even though they end like a reference (`apiKey`).
const ALWAYS_SECRET = /^(api_?key|private_?key|access_?key|secret_?key|secret_?access_?key)$/i;
// Literal values that are settings, not credentials (`automountServiceAccountToken: "false"`).
const SETTING_VALUE = /^(true|false|required|optional|enabled|disabled|none|null)$/i;
const PEM_PRIVATE_KEY = /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const AWS_SECRET_KEY = /(^|[^A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}([^A-Za-z0-9/+=]|$)/;

function isLiteral(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && !isExpression(value) && !SETTING_VALUE.test(value.trim());
}

function secretKey(key: string): boolean {
  return ALWAYS_SECRET.test(key) || (SECRET_KEY.test(key) && !NOT_A_SECRET.test(key));
}

/**
 * Every suspected literal secret inside `value`, with its JSON path. `key` names the value
 * itself when it is not inside an object (an output's or variable's name).
 */
export function plaintextSecrets(value: unknown, at = "", key = ""): SecretFinding[] {
  const found: SecretFinding[] = [];
  const visit = (node: unknown, where: string, key: string): void => {
    if (typeof node === "string") {
      if (PEM_PRIVATE_KEY.test(node)) found.push({ path: where, what: "contains a PEM private key" });
      else if (AWS_ACCESS_KEY_ID.test(node)) found.push({ path: where, what: "contains an AWS access key id" });
      else if (isLiteral(node) && secretKey(key)) {
        found.push({ path: where, what: /secret/i.test(key) && AWS_SECRET_KEY.test(node) ? "looks like an AWS secret access key" : `literal value for ${key}` });
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${where}[${i}]`, key));
      return;
    }
    if (!isObject(node)) return;
    // Name/value pairs (helm `set`, container `env`): the name says whether the value is secret.
    const name = node["name"];
    if (typeof name === "string" && secretKey(name.split(".").pop() ?? name) && isLiteral(node["value"])) {
      found.push({ path: `${where}.value`, what: `literal value for ${name}` });
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === "//") continue;
      visit(v, where === "" ? k : `${where}.${k}`, k);
    }
  };
  visit(value, at, key);
  return found;
}
