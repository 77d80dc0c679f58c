import uPlot from 'uplot';
import type { CalibrationBin, Snapshot } from './api';

const BLUE = '#0072B2';
const ORANGE = '#E69F00';
const GREY = '#999999';

/** Priority and health of the last 30 days, from the lead's snapshots (one point per day). */
export function historyChart(target: HTMLElement, snapshots: readonly Snapshot[], width: number): uPlot {
  const x = snapshots.map((s) => Date.parse(`${s.date}T00:00:00Z`) / 1000);
  const priority = snapshots.map((s) => s.aiPriority);
  const health = snapshots.map((s) => s.healthScore);
  return new uPlot(
    {
      width,
      height: 180,
      // always the 30 days up to the newest snapshot: one snapshot alone would otherwise get a range of years
      scales: { x: { range: () => xRange(x) }, y: { range: [0, 100] } },
      series: [
        {},
        { label: 'AIPriority', stroke: BLUE, width: 2, points: { show: true, size: 5 } },
        { label: 'Health', stroke: ORANGE, width: 2, dash: [6, 4], points: { show: true, size: 5 } },
      ],
      axes: [{}, { size: 36 }],
    },
    [x, priority, health],
    target,
  );
}

const DAY_S = 86_400;

function xRange(x: readonly number[]): [number, number] {
  const last = x.length > 0 ? Math.max(...x) : Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
  return [last - 29 * DAY_S, last];
}

/** The holdout's calibration: observed win rate against mean predicted probability per bin, and the diagonal. */
export function calibrationChart(target: HTMLElement, bins: readonly CalibrationBin[]): uPlot {
  const used = bins.filter((b) => b.count > 0 && b.meanPredicted !== null && b.observedRate !== null);
  const x = used.map((b) => b.meanPredicted!);
  return new uPlot(
    {
      width: 240,
      height: 150,
      legend: { show: false },
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      series: [
        {},
        { label: 'perfect', stroke: GREY, dash: [4, 4], width: 1, points: { show: false } },
        { label: 'observed', stroke: BLUE, width: 2, points: { show: true, size: 6 } },
      ],
      axes: [
        { size: 28, values: (_u, v) => v.map((t) => `${Math.round(t * 100)}%`) },
        { size: 48, values: (_u, v) => v.map((t) => `${Math.round(t * 100)}%`) },
      ],
    },
    [x, x, used.map((b) => b.observedRate!)],
    target,
  );
}
