import { InvalidArgumentError } from 'commander';

/**
 * The lead-id rule of the rerun endpoint (src/functions/rescoreHttp.ts): positive 32-bit integers, unique, at most
 * 10,000 per request. On the command line each id must also be written as plain decimal digits, so that `0x10`,
 * `1e3`, `1.0`, `+7`, `007` or ` 7` are refused rather than read as some other number.
 */
export const MAX_LEAD_IDS = 10_000;
const MAX_LEAD_ID = 2_147_483_647;
const DECIMAL = /^[1-9][0-9]*$/;

/** `--lead-ids 1,2,3` → [1, 2, 3]; a bad list is a usage error (exit 64) naming the offending id. */
export function leadIdList(text: string): number[] {
  const tokens = text.split(',');
  const ids: number[] = [];
  const seen = new Set<number>();
  for (const token of tokens) {
    const id = DECIMAL.test(token) ? Number(token) : NaN;
    if (!(id <= MAX_LEAD_ID))
      throw new InvalidArgumentError(
        `lead ids must be positive integers written in decimal digits (1 to ${MAX_LEAD_ID}), got "${token}" in "${text}"`,
      );
    if (seen.has(id)) throw new InvalidArgumentError(`lead ids must be unique, got ${id} twice in "${text}"`);
    seen.add(id);
    ids.push(id);
  }
  if (ids.length > MAX_LEAD_IDS)
    throw new InvalidArgumentError(`at most ${MAX_LEAD_IDS} lead ids per run, got ${ids.length}`);
  return ids;
}

export function positiveInt(v: string): number {
  const x = Number(v);
  if (!DECIMAL.test(v) || !Number.isSafeInteger(x))
    throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return x;
}

/** `--exclude a, b` → ['a', 'b'] (trimmed, empty entries dropped). */
export function columnList(v: string): string[] {
  return v
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** `--rollback 004`. */
export function migrationVersion(v: string): string {
  if (!/^\d{3}$/.test(v))
    throw new InvalidArgumentError(`expected a three-digit version like 004, got "${v}"`);
  return v;
}
