import type { Band, TrendWord } from './api';
import { h, words } from './dom';

// Colour is never the only signal: every chip carries its word and a shape, and the palette is Okabe–Ito's
// (distinguishable with the common colour-vision deficiencies).
const CHURN_SHAPE: Record<string, string> = { low: '○', medium: '◐', high: '●', critical: '◆' };
const FOLLOW_SHAPE: Record<string, string> = {
  overdue: '!',
  today: '◷',
  this_week: '▸',
  scheduled: '✓',
  none: '–',
};
const TREND_ARROW: Record<TrendWord, string> = { Improving: '▲', Steady: '▶', Declining: '▼' };

export function churnChip(risk: string, count?: number): HTMLElement {
  return h(
    'span',
    { class: `chip churn-${risk}`, title: `Churn risk: ${risk}` },
    h('span', { class: 'shape', 'aria-hidden': 'true' }, CHURN_SHAPE[risk] ?? '?'),
    ` ${risk}`,
    count === undefined ? null : h('span', { class: 'count' }, ` ${count.toLocaleString('en-US')}`),
  );
}

export function followUpChip(status: string, count?: number): HTMLElement {
  return h(
    'span',
    { class: `chip follow-${status}`, title: `Follow-up: ${words(status)}` },
    h('span', { class: 'shape', 'aria-hidden': 'true' }, FOLLOW_SHAPE[status] ?? '?'),
    ` ${words(status)}`,
    count === undefined ? null : h('span', { class: 'count' }, ` ${count.toLocaleString('en-US')}`),
  );
}

export function bandBadge(band: Band | undefined): HTMLElement {
  return band
    ? h('span', { class: `band band-${band}`, title: `AIPriority band ${band}` }, band)
    : h('span', { class: 'band band-none', title: 'This API does not report bands yet' }, '·');
}

export function trendArrow(
  trend: { trend: TrendWord; change: number } | null | undefined,
  what: string,
): HTMLElement {
  if (!trend) return h('span', { class: 'trend trend-none', title: `No ${what} trend yet` }, '–');
  const sign = trend.change > 0 ? '+' : '';
  return h(
    'span',
    {
      class: `trend trend-${trend.trend}`,
      title: `${what}: ${trend.trend} (${sign}${trend.change} over the week)`,
    },
    h('span', { 'aria-hidden': 'true' }, TREND_ARROW[trend.trend]),
    h('span', { class: 'sr-only' }, ` ${trend.trend}`),
  );
}

/** A horizontal bar of a 0–100 score with its number. */
export function scoreBar(value: number, cls: string): HTMLElement {
  const bar = h('span', { class: `bar ${cls}` }, h('span', { class: 'fill' }));
  (bar.firstChild as HTMLElement).style.width = `${Math.max(0, Math.min(100, value))}%`;
  return h('span', { class: 'score' }, h('span', { class: 'num' }, value), bar);
}

// The recommendation's urgency as a chip with its word: the message's leading emoji is dropped (it is colour-only, and
// not every machine has an emoji font).
const PRIORITY_SHAPE: Record<string, string> = { urgent: '▲▲', high: '▲', medium: '●', low: '▽' };

export function priorityChip(priority: string | undefined): HTMLElement | null {
  if (!priority) return null;
  return h(
    'span',
    { class: `chip rec-${priority}`, title: `Recommendation: ${priority}` },
    h('span', { class: 'shape', 'aria-hidden': 'true' }, PRIORITY_SHAPE[priority] ?? '●'),
    ` ${priority}`,
  );
}

/** The message without its leading emoji and priority word ("🔴 URGENT: Call…" → "Call…"). */
export function plainMessage(message: string | undefined): string | undefined {
  return message?.replace(/^\p{Extended_Pictographic}\uFE0F?\s*/u, '').replace(/^[A-Z]+:\s*/, '');
}
