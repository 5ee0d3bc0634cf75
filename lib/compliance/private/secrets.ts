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
// `existingSecret`, `passwordKey`, `saslTokenProvider`, `http_tokens`), and AWS idempotency tokens
// (`ClientToken`: a caller-chosen request id that AWS APIs deduplicate on, public by design).
const NOT_A_SECRET =
  /(arn|arns|id|ids|name|names|version|versions|type|mode|enabled|length|path|file|strategy|scheme|url|uri|ttl|rotation|policy|count|ref|key|keys|provider|method|source|format|kind)$|^existing|^http_tokens$|^client_?token$/i;
// Keys that are secrets themselves even though they end like a reference (`apiKey`).
const ALWAYS_SECRET = /^(api_?key|private_?key|access_?key|secret_?key|secret_?access_?key)$/i;
// Literal values that are settings, not credentials (`automountServiceAccountToken: "false"`).
const SETTING_VALUE = /^(true|false|required|optional|enabled|disabled|none|null)$/i;
const PEM_PRIVATE_KEY = /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const AWS_SECRET_KEY = /(^|[^A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}([^A-Za-z0-9/+=]|$)/;

// scheme://user:password@host, where the password is written out (not ${...} or $(ENV)).
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@\/"'{}]+:([^\s@\/"']+)@/i;
// A command-line flag naming a credential, with its value after "=" or a space.
const FLAG_WITH_VALUE = /(?:^|\s)--?([A-Za-z][A-Za-z0-9_-]*)(?:=|\s+)([^\s"']+)/g;
const FLAG_ALONE = /^--?([A-Za-z][A-Za-z0-9_-]*)$/;
// `key: value` (YAML), `"key": "value"` (JSON), `"key" = "value"` / `key = "value"` (HCL) inside an embedded document.
const EMBEDDED_PAIR = /(?:^|[\s{,])["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?::|=)[ \t]*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,{}[\]#]+)/gm;

/** A value that points elsewhere (`$(ENV)`, `${...}`, `<from the secret>`) or is masked (`****`). */
function isIndirect(value: string): boolean {
  return value.startsWith("$") || value.startsWith("<") || /^\*+$/.test(value);
}

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
      } else {
        const inner = embeddedSecret(node);
        if (inner) found.push({ path: where, what: inner });
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        visit(item, `${where}[${i}]`, key);
        // Container args and commands: ["--api-key", "abc123"] puts the value in the next entry.
        const flag = typeof item === "string" ? FLAG_ALONE.exec(item) : null;
        const next = node[i + 1];
        if (flag && secretKey(flag[1]!.replace(/-/g, "_")) && isLiteral(next) && !next.startsWith("-") && !isIndirect(next)) {
          found.push({ path: `${where}[${i + 1}]`, what: `literal value for the ${item} flag` });
        }
      });
      return;
    }
    if (!isObject(node)) return;
    // Name/value pairs (helm `set`, container `env`): the name says whether the value is secret.
    const name = node["name"];
    if (typeof name === "string" && secretKey(name.split(".").pop() ?? name) && isLiteral(node["value"])) {
      found.push({ path: `${where}.value`, what: `literal value for ${name}` });
    }
    // Helm `set_sensitive` marks the value as a secret whatever its name.
    for (const [i, entry] of (Array.isArray(node["set_sensitive"]) ? node["set_sensitive"] : node["set_sensitive"] ? [node["set_sensitive"]] : []).entries()) {
      const value = isObject(entry) ? entry["value"] : undefined;
      if (typeof value === "string" && value !== "" && !isExpression(value)) found.push({ path: `${where === "" ? "" : `${where}.`}set_sensitive[${i}].value`, what: `literal value for the sensitive setting ${String(isObject(entry) ? entry["name"] : "?")}` });
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === "//") continue;
      visit(v, where === "" ? k : `${where}.${k}`, k);
    }
  };
  visit(value, at, key);
  return found;
}

/**
 * A credential inside a string that is itself a document or a command line: Helm `values`
 * (YAML or JSON, or `${jsonencode({...})}` HCL), a URL with a password, or `--password=...`.
 * Returns what was found (never the value), or undefined.
 */
export function embeddedSecret(text: string): string | undefined {
  const url = URL_CREDENTIALS.exec(text);
  if (url && !isIndirect(url[1]!)) return "contains a URL with a literal password (scheme://user:password@host)";
  for (const match of text.matchAll(FLAG_WITH_VALUE)) {
    const [, flag, value] = match;
    if (secretKey(flag!.replace(/-/g, "_")) && isLiteral(value) && !isIndirect(value!) && !value!.startsWith("-")) return `contains a literal value for the --${flag} flag`;
  }
  if (text.trim().startsWith("{") || text.trim().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      const inner = plaintextSecrets(parsed);
      if (inner.length > 0) return `embedded JSON: ${inner[0]!.path}: ${inner[0]!.what}`;
      return undefined;
    } catch {
      // Not JSON: read it as YAML or HCL below.
    }
  }
  if (!/\n|=|:\s/.test(text)) return undefined;
  for (const match of text.matchAll(EMBEDDED_PAIR)) {
    const key = match[1]!.split(".").pop()!;
    const raw = match[2]!;
    const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw;
    if (secretKey(key) && isLiteral(value) && !isIndirect(value) && !/^[|>]-?$/.test(value)) return `embedded document: literal value for ${match[1]}`;
  }
  return undefined;
}
