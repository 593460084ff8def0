/**
 * The one place where text from users (and from bundles, which are untrusted) is made safe for XML
 * before it goes into a Word or Excel file. Every string that a report renderer writes passes
 * through `xmlSafe`; the report model is also cleaned as a whole (`deepXmlSafe`) so that charts and
 * previews built from it never see a character that XML 1.0 cannot hold.
 *
 * Removed: C0 controls except tab and line feed (CR LF / CR become LF), DEL and the C1 controls
 * (legal in XML 1.0 but invisible and refused by some readers), U+FFFE and U+FFFF, and UTF-16
 * surrogates that are not part of a valid pair. Pure: no node, electron or DOM imports.
 */

// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text made safe for an XML 1.0 text node or attribute (escaping of & < > is the writer's job). */
export function xmlSafe(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return String(text).replace(/\r\n?/g, '\n').replace(BAD_CHARS, '');
}

/** A copy of plain JSON-shaped data with `xmlSafe` applied to every string (keys included). */
export function deepXmlSafe<T>(value: T): T {
  if (typeof value === 'string') return xmlSafe(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepXmlSafe(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[xmlSafe(k)] = deepXmlSafe(v);
    return out as T;
  }
  return value;
}
