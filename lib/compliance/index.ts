/**
 * Headroom's hardening rule pack: one rule per file, applied to every stack,
 * violations fail synth, suppressions need a written reason. See README.md and RULES.md.
 */
export * from "./rule";
export * from "./all-rules";
export * from "./compliance";
export { renderRulesMarkdown } from "./rules-table";
export * from "./conventions";
export { EKS_LOG_TYPES } from "./rules/hr-eks-3";
export { MIN_BACKUP_RETENTION_DAYS } from "./rules/hr-rds-3";
export { STATEFUL_TYPES } from "./rules/hr-data-1";
