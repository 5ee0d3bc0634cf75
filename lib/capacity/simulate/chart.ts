/**
 * A hand-built SVG chart of a simulation: four panels over time sharing the
 * x axis (clock time): arrival/served/rejected rate, replicas and nodes,
 * queue depth and Kafka lag, and the per-window p99 TTFT against the SLO.
 */
import type { CapacityPlan } from "../types";
import type { SimulationResult } from "./simulate";
import { clockLabel } from "./summary";

/** A line in a panel. */
interface Line {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
  readonly dashed?: boolean;
}

const WIDTH = 960;
const PANEL_HEIGHT = 150;
const LEFT = 70;
const RIGHT = 180;
const TOP = 72;
const GAP = 36;

/** Escapes text for SVG. */
function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * p >= value) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k`;
  return v >= 10 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1);
}

function panel(index: number, title: string, unit: string, lines: readonly Line[], n: number, threshold?: { value: number; label: string }): string {
  const y0 = TOP + index * (PANEL_HEIGHT + GAP);
  const plotW = WIDTH - LEFT - RIGHT;
  const maxVal = niceMax(Math.max(0, threshold?.value ?? 0, ...lines.flatMap((l) => l.values)));
  const x = (i: number): number => LEFT + (n <= 1 ? 0 : (i / (n - 1)) * plotW);
  const y = (v: number): number => y0 + PANEL_HEIGHT - (Math.min(v, maxVal) / maxVal) * PANEL_HEIGHT;
  const out: string[] = [];
  out.push(`<text x="${LEFT}" y="${y0 - 8}" class="title">${esc(title)}</text>`);
  out.push(`<rect x="${LEFT}" y="${y0}" width="${plotW}" height="${PANEL_HEIGHT}" class="frame"/>`);
  for (const f of [0, 0.5, 1]) {
    const gy = y(maxVal * f);
    out.push(`<line x1="${LEFT}" y1="${gy.toFixed(1)}" x2="${LEFT + plotW}" y2="${gy.toFixed(1)}" class="grid"/>`);
    out.push(`<text x="${LEFT - 6}" y="${(gy + 4).toFixed(1)}" class="axis" text-anchor="end">${fmt(maxVal * f)}</text>`);
  }
  out.push(`<text x="14" y="${y0 + PANEL_HEIGHT / 2}" class="axis" transform="rotate(-90 14 ${y0 + PANEL_HEIGHT / 2})" text-anchor="middle">${esc(unit)}</text>`);
  if (threshold) {
    const ty = y(threshold.value).toFixed(1);
    out.push(`<line x1="${LEFT}" y1="${ty}" x2="${LEFT + plotW}" y2="${ty}" stroke="#d62728" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    out.push(`<text x="${LEFT + plotW + 8}" y="${ty}" class="legend" fill="#d62728">${esc(threshold.label)}</text>`);
  }
  lines.forEach((l, li) => {
    const pts = l.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="${l.color}" stroke-width="1.6"${l.dashed ? ' stroke-dasharray="4 3"' : ""}/>`);
    const ly = y0 + 14 + li * 16;
    out.push(`<line x1="${LEFT + plotW + 8}" y1="${ly - 4}" x2="${LEFT + plotW + 26}" y2="${ly - 4}" stroke="${l.color}" stroke-width="2"${l.dashed ? ' stroke-dasharray="4 3"' : ""}/>`);
    out.push(`<text x="${LEFT + plotW + 30}" y="${ly}" class="legend">${esc(l.label)}</text>`);
  });
  return out.join("\n");
}

/**
 * Renders a simulation result as a self-contained SVG document.
 *
 * @example
 * fs.writeFileSync("reports/prod/festival-spike.svg", renderChart(plan, simulate(plan, profile)));
 */
export function renderChart(plan: CapacityPlan, result: SimulationResult, environment = ""): string {
  const s = result.series;
  const n = s.startSeconds.length;
  const perSecond = (v: readonly number[]): number[] => v.map((c) => c / s.windowSeconds);
  const sum = result.summary;
  const slo = plan.input.workload.slo.ttftP99Seconds;
  const height = TOP + 4 * (PANEL_HEIGHT + GAP) + 10;
  const plotW = WIDTH - LEFT - RIGHT;
  const ticks: string[] = [];
  const every = Math.max(1, Math.ceil(n / 12));
  const axisY = TOP + 4 * (PANEL_HEIGHT + GAP) - GAP + 16;
  for (let i = 0; i < n; i += every) {
    const tx = LEFT + (n <= 1 ? 0 : (i / (n - 1)) * plotW);
    ticks.push(`<text x="${tx.toFixed(1)}" y="${axisY}" class="axis" text-anchor="middle">${clockLabel(result.profile, s.startSeconds[i]!)}</text>`);
  }
  const verdict = sum.sloMet ? "SLO met" : `SLO NOT met: ${sum.violations[0] ?? ""}`;
  const title = `${environment ? `${environment} / ` : ""}${result.profile.name}: ${result.profile.description}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<style>.title{font-size:13px;font-weight:bold}.axis{font-size:11px;fill:#555}.legend{font-size:11px}.frame{fill:none;stroke:#999}.grid{stroke:#e5e5e5}</style>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${LEFT}" y="38" font-size="12" fill="${sum.sloMet ? "#2ca02c" : "#d62728"}">${esc(verdict)}</text>`,
    panel(0, "Requests per second", "req/s", [
      { label: "arrivals", color: "#1f77b4", values: perSecond(s.arrivals) },
      { label: "served", color: "#2ca02c", values: perSecond(s.served) },
      { label: "rejected (429)", color: "#d62728", values: perSecond(s.rejected) },
      { label: "failed (5xx)", color: "#9467bd", values: perSecond(s.failed) },
    ], n),
    panel(1, "Inference replicas and GPU nodes", "count", [
      { label: "replicas ready", color: "#1f77b4", values: s.replicasReady },
      { label: "HPA desired", color: "#ff7f0e", values: s.replicasDesired, dashed: true },
      { label: "GPU nodes", color: "#7f7f7f", values: s.nodes },
    ], n),
    panel(2, "Waiting for a batch slot, and Kafka lag", "requests", [
      { label: "queue depth", color: "#ff7f0e", values: s.queueDepth },
      { label: "Kafka lag", color: "#8c564b", values: s.kafkaLag },
    ], n),
    panel(3, "p99 time to first token per window", "seconds", [{ label: "p99 TTFT", color: "#1f77b4", values: s.ttftP99Seconds }], n, { value: slo, label: `SLO ${slo} s` }),
    ...ticks,
    `</svg>`,
  ].join("\n");
}
