import { describe, expect, it } from 'vitest';
import { csvCell, csvFileName, toCsv } from './csv';

describe('csvCell', () => {
  it('quotes fields holding a comma, quote or line break, doubling quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers, even negative ones, and missing values as empty', () => {
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(new Date('2025-03-01T10:00:00Z'))).toBe('2025-03-01T10:00:00.000Z');
  });

  it('keeps Chinese text as it is', () => {
    expect(csvCell('王小明')).toBe('王小明');
  });
});

describe('toCsv', () => {
  it('writes a header and rows, every line ending in CRLF', () => {
    expect(toCsv(['name', 'spend'], [['Ann', 10], ['Bo, Jr', -3]])).toBe('name,spend\r\nAnn,10\r\n"Bo, Jr",-3\r\n');
  });
  it('writes only the header when there are no rows', () => {
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });
});

describe('csvFileName', () => {
  it('makes a safe name ending in .csv', () => {
    expect(csvFileName('Top customers / March')).toBe('Top-customers-March.csv');
    expect(csvFileName('客户 列表')).toBe('客户-列表.csv');
    expect(csvFileName('../../etc')).toBe('..-..-etc.csv');
    expect(csvFileName('   ')).toBe('export.csv');
    expect(csvFileName('x.csv')).toBe('x.csv');
  });
});
