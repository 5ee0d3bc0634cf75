/** The storage version's OpenAPI v3 schema of one CRD, as extracted from the pinned chart. */
export interface CrdSchema {
  /** Where the schema was taken from (chart, file, tag). */
  readonly source: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly schema: Readonly<Record<string, unknown>>;
}
