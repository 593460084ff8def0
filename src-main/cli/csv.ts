/** A CSV cell value. */
export type CsvCell = string | number | null;

/**
 * RFC 4180 CSV with a UTF-8 BOM and CRLF line ends, so Excel on Windows opens Chinese text correctly.
 * Cells that a spreadsheet would read as a formula (=, +, -, @) are prefixed with ' to stay text.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const cell = (v: CsvCell): string => {
    let s = v === null ? '' : String(v);
    if (typeof v === 'string' && /^[=+\-@\t]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
