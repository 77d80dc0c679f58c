import { parse } from 'csv-parse/sync';
import { InputError } from '../errors';
import { allocateLeadFeatures, type TrainingInput } from '../scoring';

const TRUE = new Set(['1', 'true', 'yes', 'y', 'won', 'win', 'converted']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'lost', 'lose', 'disqualified']);

/**
 * A CSV export of closed leads as a training input: the label column (1/0, true/false, yes/no, won/lost), every other
 * column (but `exclude`) a feature — numeric when every non-empty cell is a number, else categorical. Rows are taken
 * as time-ordered (the holdout is the last 20 %). Quoted fields, embedded commas and newlines, CRLF and empty cells
 * are handled by csv-parse; a row with an unusable label is skipped and counted.
 */
export function readCsvTraining(
  text: string,
  label: string,
  exclude: readonly string[] = [],
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
  const featureColumns = header.filter((c) => c !== label && !exclude.includes(c));
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
      asOf: Float64Array.from({ length: n }, (_, i) => i),
      label: Uint8Array.from(labels),
      extras,
    },
    skipped,
    columns: featureColumns,
  };
}
