/**
 * Small PromQL text helpers. Pure functions; every rule expression is built from them
 * so label quoting and number formatting are done in one place.
 */

/** Escapes a label value for a double-quoted PromQL string. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A label matcher list `{a="b",c=~"d"}`; `extra` are raw matchers appended as given. */
export function selector(labels: Readonly<Record<string, string>>, ...extra: readonly string[]): string {
  const parts = [...Object.entries(labels).map(([k, v]) => `${k}=${quote(v)}`), ...extra];
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** A number rendered without binary noise: `14.4 * 0.001` gives `0.0144`, not `0.014400000000000001`. */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * Matcher for one histogram bucket boundary. Python's client renders integral
 * bounds as `1.0` while Prometheus 3 normalizes them to `1` on ingestion, so an
 * integral bound matches both spellings.
 */
export function leMatcher(boundSeconds: number): string {
  const text = num(boundSeconds);
  return Number.isInteger(boundSeconds) ? `le=~"${text}(\\\\.0)?"` : `le=${quote(text)}`;
}

/** The `le` label value vLLM (Python prometheus_client) writes for a bound, e.g. `1.0`, `0.25`. */
export function pythonLe(boundSeconds: number): string {
  const text = num(boundSeconds);
  return Number.isInteger(boundSeconds) ? `${text}.0` : text;
}

/** A Prometheus duration from seconds: `300` -> `5m`, `86400` -> `1d`. */
export function duration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
