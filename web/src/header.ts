import type { Overview } from './api';
import { calibrationChart } from './charts';
import { duration, fmt, h, relative } from './dom';

function runBlock(o: Overview): HTMLElement {
  const run = o.lastRun;
  if (!run)
    return h(
      'div',
      { class: 'card run' },
      h('h2', {}, 'Last run'),
      h('p', { class: 'muted' }, 'No run yet.'),
    );
  const when = run.finishedAt ?? run.startedAt;
  return h(
    'div',
    { class: 'card run', 'data-run-id': run.runId },
    h('h2', {}, 'Last run'),
    h(
      'p',
      {},
      h('span', { class: `run-status status-${run.status}` }, run.status),
      ' ',
      h('time', { datetime: when, title: when }, relative(when)),
    ),
    h(
      'p',
      { class: 'muted' },
      `${fmt(run.leadsScored)} leads scored in ${duration(run.durationMs)} · ${run.trigger}`,
      run.errorCode ? ` · ${run.errorCode}` : '',
    ),
    h(
      'p',
      { class: 'muted' },
      'Next: ',
      o.nextRunAt
        ? h('time', { datetime: o.nextRunAt, title: `${o.schedule} (UTC)` }, relative(o.nextRunAt))
        : '—',
    ),
  );
}

function modelBlock(o: Overview): HTMLElement {
  const m = o.model;
  const p = m.published;
  const counts = (n: number, min: number, what: string) =>
    h(
      'span',
      { class: n >= min ? 'enough' : 'short', title: `${what}: ${n} of the ${min} needed` },
      `${fmt(n)} ${what} ${n >= min ? '✓' : `(need ${min})`}`,
    );
  const card = h(
    'div',
    { class: 'card model' },
    h('h2', {}, 'Conversion model'),
    h(
      'p',
      {},
      h('span', { class: `source source-${m.source}` }, m.source === 'model' ? 'Learned model' : 'Heuristic'),
      p ? ` · holdout AUC ${p.holdout.auc.toFixed(3)} (n = ${fmt(p.holdout.n)})` : '',
    ),
    p
      ? h(
          'p',
          { class: 'muted' },
          counts(p.won, m.minWon, 'won'),
          ' · ',
          counts(p.lost, m.minLost, 'lost'),
          ` · closed leads, minimum ${m.minWon}/${m.minLost}`,
        )
      : h('p', { class: 'muted' }, `Needs ${m.minWon} won and ${m.minLost} lost closed leads.`),
    m.note ? h('p', { class: 'muted note' }, m.note) : null,
  );
  if (p && p.holdout.calibration.length > 0) {
    const chart = h('div', {
      class: 'calibration',
      title: 'Calibration on the holdout: observed win rate by predicted probability',
    });
    card.append(chart);
    calibrationChart(chart, p.holdout.calibration);
  }
  return card;
}

export function renderHeader(target: HTMLElement, o: Overview): void {
  target.replaceChildren(runBlock(o), modelBlock(o));
}
