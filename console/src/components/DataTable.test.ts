import { describe, expect, it } from 'vitest';
import { rowsToCsv, sortRows, type Column } from './DataTable';

interface Row { id: string; name: string; clv: number | null }
const rows: Row[] = [
  { id: '1', name: 'Bo', clv: 30 },
  { id: '2', name: 'ann', clv: null },
  { id: '3', name: 'Cy', clv: 5 },
  { id: '4', name: 'item 10', clv: 5 },
  { id: '5', name: 'item 9', clv: 1 },
];
const columns: Column<Row>[] = [
  { key: 'name', header: 'Name', sortValue: (r) => r.name, csv: (r) => r.name },
  { key: 'clv', header: 'CLV', sortValue: (r) => r.clv, csv: (r) => r.clv },
  { key: 'view', header: '' },
];

describe('sortRows', () => {
  it('sorts text case-insensitively with numbers in numeric order', () => {
    expect(sortRows(rows, columns, { key: 'name', dir: 'asc' }).map((r) => r.id)).toEqual(['2', '1', '3', '5', '4']);
  });
  it('sorts numbers, keeps ties in their order and puts missing values last both ways', () => {
    expect(sortRows(rows, columns, { key: 'clv', dir: 'desc' }).map((r) => r.id)).toEqual(['1', '3', '4', '5', '2']);
    expect(sortRows(rows, columns, { key: 'clv', dir: 'asc' }).map((r) => r.id)).toEqual(['5', '3', '4', '1', '2']);
  });
  it('leaves rows as they are without a sort or for a column without a sort value', () => {
    expect(sortRows(rows, columns, null)).toBe(rows);
    expect(sortRows(rows, columns, { key: 'view', dir: 'asc' })).toBe(rows);
  });
});

describe('rowsToCsv', () => {
  it('exports the columns that have a CSV value, defused and quoted', () => {
    expect(rowsToCsv([{ id: '9', name: '=cmd|x', clv: -2 }], columns)).toBe("Name,CLV\r\n'=cmd|x,-2\r\n");
  });
});
