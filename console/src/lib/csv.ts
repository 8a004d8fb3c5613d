// CSV as RFC 4180 describes it (comma, CRLF, fields quoted when they hold a comma, quote or
// line break), with one addition: text that a spreadsheet would run as a formula is defused.

export type CsvValue = string | number | boolean | Date | null | undefined;

// A cell starting with one of these is a formula in Excel, LibreOffice and Google Sheets
// (tab and carriage return are the OWASP additions: some importers strip them first).
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: numbers as they are; text that starts like a formula gets a leading '. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') {
    text = Number.isFinite(value) ? String(value) : '';
  } else if (typeof value === 'boolean') {
    text = value ? 'true' : 'false';
  } else if (value instanceof Date) {
    text = Number.isNaN(value.getTime()) ? '' : value.toISOString();
  } else {
    text = FORMULA_START.test(value) ? `'${value}` : value;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: a header line, then one line per row, every line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const line = (cells: readonly CsvValue[]) => cells.map(csvCell).join(',') + '\r\n';
  return line(header) + rows.map(line).join('');
}

/** A safe file name: letters, digits, dot, dash and underscore, ending in .csv. */
export function csvFileName(base: string): string {
  const cleaned = base.trim().replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'export';
  return cleaned.toLowerCase().endsWith('.csv') ? cleaned : `${cleaned}.csv`;
}
