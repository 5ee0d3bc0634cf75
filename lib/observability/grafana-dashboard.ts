import { Problem } from "../core/validation";

/**
 * A typed subset of Grafana's dashboard JSON model (schemaVersion 39), enough for
 * provisioned, read-only Prometheus dashboards, and a builder that lays panels out
 * on Grafana's 24-column grid.
 */

/** Grafana's dashboard schema version these dashboards are written for (Grafana 10.x/11.x). */
export const GRAFANA_SCHEMA_VERSION = 39;

/** Reference to a data source; `${datasource}` resolves through the dashboard's variable. */
export interface DataSourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

/** The data source every panel uses: the dashboard's `datasource` variable. */
export const PROMETHEUS_DATASOURCE: DataSourceRef = { type: "prometheus", uid: "${datasource}" };

/** Panel position on the 24-column grid. */
export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** One PromQL query of a panel. */
export interface PanelTarget {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly datasource: DataSourceRef;
}

/** Panel types the builders emit. */
export type PanelType = "timeseries" | "stat" | "gauge";

/** A Grafana panel. */
export interface Panel {
  readonly id: number;
  readonly type: PanelType;
  readonly title: string;
  readonly description?: string;
  readonly gridPos: GridPos;
  readonly datasource: DataSourceRef;
  readonly targets: readonly PanelTarget[];
  readonly fieldConfig: {
    readonly defaults: {
      readonly unit?: string;
      readonly min?: number;
      readonly max?: number;
      readonly decimals?: number;
      readonly thresholds?: { readonly mode: "absolute"; readonly steps: readonly { readonly color: string; readonly value: number | null }[] };
    };
    readonly overrides: readonly unknown[];
  };
  readonly options: Readonly<Record<string, unknown>>;
}

/** A template variable (only the data source picker is used). */
export interface DatasourceVariable {
  readonly name: "datasource";
  readonly label: string;
  readonly type: "datasource";
  readonly query: "prometheus";
  readonly hide: 0;
  readonly current: Readonly<Record<string, never>>;
}

/** A Grafana dashboard. */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly graphTooltip: 0 | 1 | 2;
  readonly timezone: "utc" | "browser";
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly DatasourceVariable[] };
  readonly annotations: { readonly list: readonly unknown[] };
  readonly panels: readonly Panel[];
}

/** Options of one panel. */
export interface PanelOptions {
  /** Width in grid columns (1-24). @default 12 */
  readonly width?: number;
  /** Height in grid rows. @default 8 */
  readonly height?: number;
  /** Grafana unit id, e.g. `s`, `percentunit`, `reqps`. @default none */
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** Threshold steps (value, color), ascending; the base step is green. @default none */
  readonly thresholds?: readonly (readonly [number, string])[];
  readonly description?: string;
}

/** A query: PromQL and its legend. */
export type Query = readonly [expr: string, legend?: string];

/**
 * Builds a {@link Dashboard}, placing panels left to right and wrapping rows on the 24-column grid.
 *
 * @example
 * const d = new DashboardBuilder("headroom-demo", "Demo").timeseries("Requests", [["sum(rate(x[5m]))", "rps"]], { unit: "reqps" }).build();
 */
export class DashboardBuilder {
  private readonly panels: Panel[] = [];
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  /** @param uid stable id (at most 40 characters), the URL of the dashboard */
  public constructor(
    private readonly uid: string,
    private readonly title: string,
    private readonly description = "",
    private readonly tags: readonly string[] = ["headroom"],
  ) {}

  /** Adds a time-series panel. */
  public timeseries(title: string, queries: readonly Query[], options: PanelOptions = {}): this {
    return this.add("timeseries", title, queries, options, { legend: { displayMode: "table", placement: "bottom", calcs: ["lastNotNull", "max"] }, tooltip: { mode: "multi" } });
  }

  /** Adds a single-value panel. */
  public stat(title: string, queries: readonly Query[], options: PanelOptions = {}): this {
    return this.add("stat", title, queries, { width: 6, height: 5, ...options }, { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "value", graphMode: "area" });
  }

  /** Adds a gauge panel. */
  public gauge(title: string, queries: readonly Query[], options: PanelOptions = {}): this {
    return this.add("gauge", title, queries, { width: 6, height: 5, ...options }, { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, showThresholdMarkers: true });
  }

  /** The dashboard. */
  public build(): Dashboard {
    return {
      uid: this.uid,
      title: this.title,
      description: this.description,
      tags: [...this.tags],
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      version: 1,
      editable: false,
      graphTooltip: 1,
      timezone: "utc",
      refresh: "30s",
      time: { from: "now-6h", to: "now" },
      templating: { list: [{ name: "datasource", label: "Data source", type: "datasource", query: "prometheus", hide: 0, current: {} }] },
      annotations: { list: [] },
      panels: [...this.panels],
    };
  }

  private add(type: PanelType, title: string, queries: readonly Query[], options: PanelOptions, panelOptions: Record<string, unknown>): this {
    const w = options.width ?? 12;
    const h = options.height ?? 8;
    if (this.x + w > 24) {
      this.x = 0;
      this.y += this.rowHeight;
      this.rowHeight = 0;
    }
    const thresholds = options.thresholds
      ? { mode: "absolute" as const, steps: [{ color: "green", value: null }, ...options.thresholds.map(([value, color]) => ({ color, value }))] }
      : undefined;
    this.panels.push({
      id: this.panels.length + 1,
      type,
      title,
      ...(options.description ? { description: options.description } : {}),
      gridPos: { x: this.x, y: this.y, w, h },
      datasource: PROMETHEUS_DATASOURCE,
      targets: queries.map(([expr, legend], i) => ({
        refId: String.fromCharCode(65 + i),
        expr,
        ...(legend !== undefined ? { legendFormat: legend } : {}),
        datasource: PROMETHEUS_DATASOURCE,
      })),
      fieldConfig: {
        defaults: {
          ...(options.unit ? { unit: options.unit } : {}),
          ...(options.min !== undefined ? { min: options.min } : {}),
          ...(options.max !== undefined ? { max: options.max } : {}),
          ...(thresholds ? { thresholds } : {}),
        },
        overrides: [],
      },
      options: panelOptions,
    });
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return this;
  }
}

/**
 * Checks the parts of Grafana's dashboard schema that decide whether a provisioned
 * dashboard loads and renders: uid (1-40 of `[A-Za-z0-9_-]`), title, numeric
 * schemaVersion, unique panel ids, panels inside the 24-column grid without
 * overlap, a known type, a data source, and at least one target with a refId and
 * an expression each.
 * @returns every problem found (empty when valid)
 */
export function dashboardProblems(dashboard: Dashboard, path = "dashboard"): Problem[] {
  const problems: Problem[] = [];
  const add = (code: string, field: string, value: unknown, allowed: string): void => {
    problems.push({ code, path: `${path}.${field}`, value, allowed });
  };
  if (typeof dashboard.uid !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(dashboard.uid)) add("OBS_DASHBOARD_UID", "uid", dashboard.uid, "1-40 characters of [A-Za-z0-9_-]");
  if (typeof dashboard.title !== "string" || dashboard.title.trim() === "") add("OBS_DASHBOARD_TITLE", "title", dashboard.title, "a non-empty string");
  if (!Number.isInteger(dashboard.schemaVersion) || dashboard.schemaVersion < 36) add("OBS_DASHBOARD_SCHEMA", "schemaVersion", dashboard.schemaVersion, "an integer of at least 36");
  if (!Array.isArray(dashboard.panels) || dashboard.panels.length === 0) add("OBS_DASHBOARD_PANELS", "panels", dashboard.panels, "a non-empty list of panels");
  const ids = new Set<number>();
  const occupied = new Set<string>();
  (dashboard.panels ?? []).forEach((panel, i) => {
    const at = `panels[${i}]`;
    if (!Number.isInteger(panel.id) || ids.has(panel.id)) add("OBS_PANEL_ID", `${at}.id`, panel.id, "a unique integer");
    ids.add(panel.id);
    if (!["timeseries", "stat", "gauge"].includes(panel.type)) add("OBS_PANEL_TYPE", `${at}.type`, panel.type, "timeseries, stat or gauge");
    if (typeof panel.title !== "string" || panel.title === "") add("OBS_PANEL_TITLE", `${at}.title`, panel.title, "a non-empty string");
    const g = panel.gridPos;
    const gridOk = g && [g.x, g.y, g.w, g.h].every((n) => Number.isInteger(n) && n >= 0) && g.w >= 1 && g.h >= 1 && g.x + g.w <= 24;
    if (!gridOk) {
      add("OBS_PANEL_GRID", `${at}.gridPos`, g, "integers x, y >= 0 and w, h >= 1 with x + w <= 24");
    } else {
      for (let dx = 0; dx < g.w; dx++) {
        for (let dy = 0; dy < g.h; dy++) {
          const cell = `${g.x + dx},${g.y + dy}`;
          if (occupied.has(cell)) {
            add("OBS_PANEL_OVERLAP", `${at}.gridPos`, g, "a position that does not overlap another panel");
            dx = g.w;
            break;
          }
          occupied.add(cell);
        }
      }
    }
    if (!panel.datasource || panel.datasource.type !== "prometheus" || !panel.datasource.uid) add("OBS_PANEL_DATASOURCE", `${at}.datasource`, panel.datasource, "a Prometheus data source reference with a uid");
    if (!Array.isArray(panel.targets) || panel.targets.length === 0) add("OBS_PANEL_TARGETS", `${at}.targets`, panel.targets, "at least one query");
    const refIds = new Set<string>();
    (panel.targets ?? []).forEach((t, j) => {
      if (!/^[A-Z]+$/.test(t.refId) || refIds.has(t.refId)) add("OBS_TARGET_REFID", `${at}.targets[${j}].refId`, t.refId, "unique upper-case letters");
      refIds.add(t.refId);
      if (typeof t.expr !== "string" || t.expr.trim() === "") add("OBS_TARGET_EXPR", `${at}.targets[${j}].expr`, t.expr, "a PromQL expression");
      if (!t.datasource?.uid) add("OBS_PANEL_DATASOURCE", `${at}.targets[${j}].datasource`, t.datasource, "a data source reference with a uid");
    });
  });
  return problems;
}
