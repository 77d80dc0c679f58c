/**
 * AIPriority bands (docs/scoring.md §Scale and bands): A ≥ 75 "work now", B 50–74 "this week", C 25–49 "keep
 * warm", D < 25 "not now / triage". Index = band code.
 */
export const PRIORITY_BANDS = ['A', 'B', 'C', 'D'] as const;
export type PriorityBand = (typeof PRIORITY_BANDS)[number];
export const BAND_A = 0;
export const BAND_B = 1;
export const BAND_C = 2;
export const BAND_D = 3;
/** Lowest AIPriority of each band, by band code. */
export const BAND_FLOORS = Object.freeze([75, 50, 25, 0] as const);
/** Highest AIPriority of each band, by band code. */
export const BAND_CEILINGS = Object.freeze([100, 74, 49, 24] as const);

/** The band code of an AIPriority (0–100). */
export function bandOf(aiPriority: number): number {
  return aiPriority >= 75 ? BAND_A : aiPriority >= 50 ? BAND_B : aiPriority >= 25 ? BAND_C : BAND_D;
}

/** The band letter of an AIPriority (0–100). */
export function bandLetterOf(aiPriority: number): PriorityBand {
  return PRIORITY_BANDS[bandOf(aiPriority)]!;
}

/**
 * The AIPriority ranges [lowest, highest] (inclusive) a set of bands covers, adjacent bands merged, highest first:
 * what a store filters on, so `band=A,B` is one range check (`AIPriority BETWEEN 50 AND 100`) an index can seek.
 *
 * @example bandRanges(['B', 'A', 'D']) // => [[50, 100], [0, 24]]
 */
export function bandRanges(bands: readonly PriorityBand[]): [number, number][] {
  const out: [number, number][] = [];
  for (let b = BAND_A; b <= BAND_D; b++) {
    if (!bands.includes(PRIORITY_BANDS[b]!)) continue;
    const last = out[out.length - 1];
    if (last && last[0] === BAND_CEILINGS[b]! + 1) last[0] = BAND_FLOORS[b]!;
    else out.push([BAND_FLOORS[b]!, BAND_CEILINGS[b]!]);
  }
  return out;
}
