/**
 * Messages of the report model that the screens show too, in a module without dependencies: the
 * UI's catalogue imports it at start-up, which must not pull the record schemas (zod) into the first
 * screen's scripts.
 */

/** A report scope without annotations (`report.empty_scope`). */
export const EMPTY_SCOPE_MESSAGE = '所选范围内没有批注数据，无法生成报告。请调整单位、表格或状态范围。';
