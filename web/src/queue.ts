import type { Lead } from './api';
import {
  bandBadge,
  churnChip,
  followUpChip,
  plainMessage,
  priorityChip,
  scoreBar,
  trendArrow,
} from './chips';
import { h, percent } from './dom';

export const leadName = (l: Lead): string => l.name ?? `Lead ${l.leadId}`;

function row(lead: Lead, rank: number, open: (lead: Lead) => void): HTMLTableRowElement {
  const tr = h(
    'tr',
    {
      tabindex: -1,
      'data-lead-id': lead.leadId,
      'aria-label': `${leadName(lead)}, AIPriority ${lead.aiPriority}`,
    },
    h('td', { class: 'num rank' }, rank),
    h('td', {}, bandBadge(lead.band ?? lead.recommendation?.band)),
    h(
      'td',
      { class: 'lead' },
      h('span', { class: 'name' }, leadName(lead)),
      h('span', { class: 'company' }, lead.company ?? ''),
    ),
    h('td', { class: 'status' }, lead.status ?? '—'),
    h('td', { class: 'priority' }, scoreBar(lead.aiPriority, 'bar-priority')),
    h('td', { class: 'center' }, trendArrow(lead.trend?.priority, 'AIPriority')),
    h('td', {}, churnChip(lead.churnRisk)),
    h('td', {}, followUpChip(lead.followUpStatus)),
    h('td', { class: 'num conversion' }, percent(lead.conversionProbability)),
    h('td', { class: 'num overdue' }, lead.overdueDays > 0 ? lead.overdueDays : '—'),
    h(
      'td',
      { class: 'message' },
      priorityChip(lead.recommendation?.priority),
      ' ',
      plainMessage(lead.recommendation?.message) ?? '—',
    ),
  );
  tr.addEventListener('click', () => open(lead));
  return tr;
}

/**
 * The queue's rows, in the API's order. Keyboard: ↑/↓ (or k/j) move between rows, Home/End to the ends, Enter or
 * Space opens the lead's drawer. One row is in the tab order at a time (roving tabindex).
 */
export function renderQueue(
  tbody: HTMLTableSectionElement,
  leads: readonly Lead[],
  firstRank: number,
  open: (lead: Lead) => void,
): void {
  tbody.replaceChildren(...leads.map((l, i) => row(l, firstRank + i, open)));
  const first = tbody.rows[0];
  if (first) first.tabIndex = 0;
}

export function queueKeys(tbody: HTMLTableSectionElement, open: (leadId: number) => void): void {
  tbody.addEventListener('keydown', (e: KeyboardEvent) => {
    const current = (e.target as HTMLElement).closest('tr');
    if (!current) return;
    const rows = [...tbody.rows];
    const i = rows.indexOf(current);
    const to = (j: number) => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, j))];
      if (!target) return;
      current.tabIndex = -1;
      target.tabIndex = 0;
      target.focus();
      e.preventDefault();
    };
    if (e.key === 'ArrowDown' || e.key === 'j') to(i + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') to(i - 1);
    else if (e.key === 'Home') to(0);
    else if (e.key === 'End') to(rows.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(Number(current.dataset.leadId));
    }
  });
}
