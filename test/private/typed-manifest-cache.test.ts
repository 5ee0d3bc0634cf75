import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Problems } from "../../lib/core/validation";
import { checkSchema, SchemaModel } from "../../lib/private/typed-manifest";

/** A model whose validate() is counted and fails when `bad` is set. */
class Fake implements SchemaModel {
  public calls = 0;
  public constructor(private readonly json: Record<string, unknown>, private readonly bad = false) {}
  public validate(): void {
    this.calls++;
    if (this.bad) throw new Error("spec.x must be integer");
  }
  public toJSON(): unknown {
    return this.json;
  }
}

function errors(problems: Problems): string {
  try {
    problems.throwIfAny();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

describe("checkSchema verdict cache", () => {
  let dir: string;
  const saved = process.env.HEADROOM_SCHEMA_CACHE;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "headroom-schema-cache-"));
    process.env.HEADROOM_SCHEMA_CACHE = dir;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.HEADROOM_SCHEMA_CACHE;
    else process.env.HEADROOM_SCHEMA_CACHE = saved;
  });

  it("validates an object once, then reuses the verdict for the same content only", () => {
    const first = new Fake({ kind: "A", spec: { n: 1 } });
    checkSchema(new Problems("t"), "a", first);
    expect(first.calls).toBe(1);
    expect(readdirSync(dir)).toHaveLength(1);
    const same = new Fake({ kind: "A", spec: { n: 1 } });
    checkSchema(new Problems("t"), "a", same);
    expect(same.calls).toBe(0);
    const other = new Fake({ kind: "A", spec: { n: 2 } });
    checkSchema(new Problems("t"), "a", other);
    expect(other.calls).toBe(1);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it("never caches a failure: it is reported on every call", () => {
    for (let i = 0; i < 2; i++) {
      const bad = new Fake({ kind: "B", spec: { x: "one" } }, true);
      const problems = new Problems("t");
      checkSchema(problems, "b.spec", bad);
      expect(bad.calls).toBe(1);
      expect(errors(problems)).toContain("MANIFEST_SCHEMA_INVALID");
      expect(errors(problems)).toContain("spec.x must be integer");
    }
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it("validates every time with HEADROOM_SCHEMA_CACHE=0", () => {
    process.env.HEADROOM_SCHEMA_CACHE = "0";
    for (let i = 0; i < 2; i++) {
      const m = new Fake({ kind: "C", spec: {} });
      checkSchema(new Problems("t"), "c", m);
      expect(m.calls).toBe(1);
    }
    expect(readdirSync(dir)).toHaveLength(0);
  });
});
