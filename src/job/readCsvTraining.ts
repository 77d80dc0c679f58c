import { parse } from 'csv-parse/sync';
import { InputError } from '../errors';
import { allocateLeadFeatures, type TrainingInput } from '../scoring';

const TRUE = new Set(['1', 'true', 'yes', 'y', 'won', 'win', 'converted']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'lost', 'lose', 'disqualified']);

/**
 * A CSV export of closed leads as a training input: the label column (1/0, true/false, yes/no, won/lost), every other
 * column (but `exclude` and `timeColumn`) a feature — numeric when every non-empty cell is a number, else
 * categorical. With `timeColumn` (a number, or a date `Date.parse` reads) each row's time is that column's value, so
 * the holdout is the most recent rows by it; without it rows are taken as time-ordered (the holdout is the last 20 %
 * of rows). A row whose time is empty or unreadable is an INPUT_INVALID error naming it. Quoted fields, embedded commas and newlines, CRLF and empty cells
 * are handled by csv-parse; a row with an unusable label is skipped and counted.
 */
export function readCsvTraining(
  text: string,
  label: string,
  exclude: readonly string[] = [],
  timeColumn?: string,
): { input: TrainingInput; skipped: number; columns: string[] } {
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(text, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (e) {
    throw new InputError(`The CSV cannot be parsed: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new InputError('The CSV has no data rows');
  const header = Object.keys(records[0]!);
  if (!header.includes(label))
    throw new InputError(`The CSV has no column "${label}" (columns: ${header.join(', ')})`);
  if (timeColumn !== undefined && !header.includes(timeColumn))
    throw new InputError(`The CSV has no column "${timeColumn}" (columns: ${header.join(', ')})`);
  const featureColumns = header.filter((c) => c !== label && c !== timeColumn && !exclude.includes(c));
  const kept: Record<string, string>[] = [];
  const labels: number[] = [];
  let skipped = 0;
  for (const r of records) {
    const v = (r[label] ?? '').toLowerCase();
    if (TRUE.has(v)) labels.push(1);
    else if (FALSE.has(v)) labels.push(0);
    else {
      skipped++;
      continue;
    }
    kept.push(r);
  }
  const n = kept.length;
  const features = allocateLeadFeatures(n);
  features.leadId.set(Int32Array.from({ length: n }, (_, i) => i + 1));
  const extras: Record<string, Float64Array | (string | null)[]> = {};
  for (const c of featureColumns) {
    const cells = kept.map((r) => (r[c] ?? '').trim());
    const numeric = cells.every((v) => v === '' || Number.isFinite(Number(v)));
    extras[c] = numeric
      ? Float64Array.from(cells, (v) => (v === '' ? NaN : Number(v)))
      : cells.map((v) => (v === '' ? null : v));
  }
  return {
    input: {
      features,
      asOf:
        timeColumn === undefined
          ? Float64Array.from({ length: n }, (_, i) => i)
          : Float64Array.from(kept, (r, i) => timeOf(r[timeColumn] ?? '', timeColumn, i)),
      label: Uint8Array.from(labels),
      extras,
    },
    skipped,
    columns: featureColumns,
  };
}

/** A time cell as a number: itself when numeric, else a date; anything else is an error naming the row. */
function timeOf(cell: string, column: string, row: number): number {
  const v = cell.trim();
  const t = v === '' ? NaN : Number.isFinite(Number(v)) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t))
    throw new InputError(
      `The time column "${column}" has ${v === '' ? 'an empty cell' : `"${v}", neither a number nor a date,`} in data row ${row + 1} (of the rows with a usable label)`,
    );
  return t;
}
