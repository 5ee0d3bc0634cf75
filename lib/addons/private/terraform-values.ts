/**
 * Turns a synthesized `helm_release` values document into plain data that `helm template` can read
 * without Terraform: a document is either JSON with `${...}` references inside strings (a VPC id from
 * the foundation stack) or one whole Terraform expression (`${jsonencode({...})}` holding a list built
 * from another stack's output). References become stand-in strings (`tfref-<attribute>`) and the
 * expression is evaluated with the handful of functions cdktf emits (`jsonencode`, `split`, `replace`,
 * `formatlist`, `join`, `concat`, `format`, `tostring`, `lower`, `upper`), so the rendered value has
 * the right shape: a list stays a list, a string a string. An unknown function is an error, never a
 * silent guess. Pure TypeScript.
 */

/** Stand-in for a Terraform reference such as `data.terraform_remote_state.x.outputs.vpc_id`. */
export function standInFor(reference: string): string {
  const last = reference.split(".").pop() ?? "ref";
  return `tfref-${last.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "ref"}`;
}

/** A values document as plain data (JSON documents parsed, Terraform expressions evaluated). */
export function valuesDocument(doc: string): unknown {
  const trimmed = doc.trim();
  if (trimmed.startsWith("${") && trimmed.endsWith("}") && matchingBrace(trimmed, 1) === trimmed.length - 1) {
    const value = new Parser(trimmed.slice(2, -1)).parseAll();
    // A whole-document expression must produce the document: jsonencode(...) gives its JSON text.
    return typeof value === "string" ? JSON.parse(value) : value;
  }
  return replaceInterpolations(JSON.parse(doc));
}

function replaceInterpolations(value: unknown): unknown {
  if (typeof value === "string") return interpolate(value);
  if (Array.isArray(value)) return value.map(replaceInterpolations);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [interpolate(k), replaceInterpolations(v)]));
  }
  return value;
}

/** A string with every `${expr}` replaced by the expression's stand-in value. */
function interpolate(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const start = s.indexOf("${", i);
    if (start < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, start);
    const end = matchingBrace(s, start + 1);
    if (end < 0) throw new Error(`unterminated Terraform interpolation in ${JSON.stringify(s)}`);
    const value = new Parser(s.slice(start + 2, end)).parseAll();
    out += typeof value === "string" ? value : JSON.stringify(value);
    i = end + 1;
  }
  return out;
}

/** Index of the `}` that closes the `{` at `open`, skipping quoted strings; -1 if none. */
function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

const FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
  jsonencode: ([v]) => JSON.stringify(v),
  tostring: ([v]) => String(v),
  lower: ([v]) => String(v).toLowerCase(),
  upper: ([v]) => String(v).toUpperCase(),
  split: ([sep, s]) => String(s).split(String(sep)),
  join: ([sep, list]) => asList(list, "join").join(String(sep)),
  replace: ([s, from, to]) => String(s).split(String(from)).join(String(to)),
  concat: (lists) => lists.flatMap((l) => asList(l, "concat")),
  format: ([fmt, ...args]) => format(String(fmt), args),
  formatlist: ([fmt, ...args]) => {
    const lists = args.filter(Array.isArray) as unknown[][];
    const n = lists.length === 0 ? 1 : Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => format(String(fmt), args.map((a) => (Array.isArray(a) ? a[i] : a))));
  },
};

function asList(v: unknown, fn: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${fn}() expects a list, got ${JSON.stringify(v)}`);
  return v;
}

function format(fmt: string, args: unknown[]): string {
  let k = 0;
  return fmt.replace(/%[sdv%]/g, (m) => (m === "%%" ? "%" : String(args[k++])));
}

/** Recursive-descent parser and evaluator of the HCL expression subset cdktf writes. */
class Parser {
  private i = 0;

  public constructor(private readonly src: string) {}

  public parseAll(): unknown {
    const v = this.expr();
    this.ws();
    if (this.i !== this.src.length) throw this.error("unexpected trailing text");
    return v;
  }

  private error(what: string): Error {
    return new Error(`Terraform expression: ${what} at ${this.i} in ${JSON.stringify(this.src.slice(0, 200))}`);
  }

  private ws(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i++;
  }

  private peek(): string {
    this.ws();
    return this.src[this.i] ?? "";
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw this.error(`expected '${c}'`);
    this.i++;
  }

  private expr(): unknown {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === "{") return this.object();
    if (c === "[") return this.list();
    if (/[-0-9]/.test(c)) return this.number();
    if (/[A-Za-z_]/.test(c)) return this.identifierExpr();
    throw this.error(`unexpected '${c}'`);
  }

  private string(): string {
    const start = this.i;
    this.i++;
    let raw = "";
    while (this.i < this.src.length && this.src[this.i] !== '"') {
      if (this.src[this.i] === "\\") raw += this.src[this.i++];
      raw += this.src[this.i++];
    }
    if (this.src[this.i] !== '"') {
      this.i = start;
      throw this.error("unterminated string");
    }
    this.i++;
    return interpolate(JSON.parse(`"${raw}"`) as string);
  }

  private number(): number {
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.src.slice(this.i));
    if (!m) throw this.error("bad number");
    this.i += m[0].length;
    return Number(m[0]);
  }

  private object(): Record<string, unknown> {
    this.expect("{");
    const out: Record<string, unknown> = {};
    while (this.peek() !== "}") {
      const key = this.peek() === '"' ? this.string() : this.identifier();
      const sep = this.peek();
      if (sep !== "=" && sep !== ":") throw this.error("expected '=' or ':'");
      this.i++;
      out[key] = this.expr();
      if (this.peek() === ",") this.i++;
    }
    this.i++;
    return out;
  }

  private list(): unknown[] {
    this.expect("[");
    const out: unknown[] = [];
    while (this.peek() !== "]") {
      out.push(this.expr());
      if (this.peek() === ",") this.i++;
    }
    this.i++;
    return out;
  }

  private identifier(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.i));
    if (!m) throw this.error("expected an identifier");
    this.i += m[0].length;
    return m[0];
  }

  private identifierExpr(): unknown {
    const name = this.identifier();
    if (name === "true") return true;
    if (name === "false") return false;
    if (name === "null") return null;
    if (this.src[this.i] === "(") {
      const fn = FUNCTIONS[name];
      if (!fn) throw this.error(`function ${name}() has no stand-in evaluation (add it to FUNCTIONS)`);
      this.i++;
      const args: unknown[] = [];
      while (this.peek() !== ")") {
        args.push(this.expr());
        if (this.peek() === ",") this.i++;
      }
      this.i++;
      return fn(args);
    }
    // A reference: name(.attr | [index])*
    let ref = name;
    for (;;) {
      if (this.src[this.i] === ".") {
        this.i++;
        ref += `.${/^\d+$/.test(this.src[this.i] ?? "") ? String(this.number()) : this.identifier()}`;
      } else if (this.src[this.i] === "[") {
        this.i++;
        ref += `[${JSON.stringify(this.expr())}]`;
        this.expect("]");
      } else break;
    }
    return standInFor(ref);
  }
}
