import { ApiError, getJson, type Factor, type Lead, type LeadDetail } from './api';
import { bandBadge, churnChip, followUpChip, plainMessage, priorityChip, trendArrow } from './chips';
import { historyChart } from './charts';
import { h, percent, words } from './dom';
import { leadName } from './queue';

function factorList(title: string, factors: readonly Factor[]): HTMLElement | null {
  const rows = factors.flatMap((f) => {
    const value = f.points ?? f.contribution;
    return typeof value === 'number' && Number.isFinite(value)
      ? [{ label: f.label, value, unit: f.points === undefined ? 'log-odds' : 'pts' }]
      : [];
  });
  if (rows.length === 0) return null;
  const max = Math.max(...rows.map((r) => Math.abs(r.value)), 1e-9);
  return h(
    'section',
    { class: 'reasons' },
    h('h3', {}, title),
    h(
      'ul',
      {},
      ...rows.map((r) => {
        const bar = h('span', { class: `pbar ${r.value >= 0 ? 'up' : 'down'}` });
        bar.style.width = `${(Math.abs(r.value) / max) * 100}%`;
        const sign = r.value > 0 ? '+' : r.value < 0 ? '−' : '±';
        const digits = r.unit === 'pts' ? 1 : 2;
        return h(
          'li',
          {},
          h('span', { class: 'label' }, r.label),
          h('span', { class: 'pwrap' }, bar),
          h('span', { class: 'points num' }, `${sign}${Math.abs(r.value).toFixed(digits)} ${r.unit}`),
        );
      }),
    ),
  );
}

const cell = (label: string, value: Node | string | number, id: string) =>
  h('div', { class: 'metric', 'data-metric': id }, h('dt', {}, label), h('dd', {}, value));

/** The nine scores of the guide (Health, Velocity, AIPriority, Conversion, Churn, Follow-up, Overdue, the
 * recommendation, ScoresLastUpdated), the reasons with their points, and the 30-day chart when the API has it. */
function drawerBody(lead: Lead, detail: LeadDetail | null): HTMLElement[] {
  const rec = lead.recommendation;
  const trend = detail?.trend ?? lead.trend;
  const scores = h(
    'dl',
    { class: 'metrics' },
    cell(
      'AIPriority',
      h(
        'span',
        {},
        String(lead.aiPriority),
        ' ',
        (lead.band ?? rec?.band) === undefined ? null : bandBadge(lead.band ?? rec?.band),
        ' ',
        trendArrow(trend?.priority, 'AIPriority'),
      ),
      'aiPriority',
    ),
    cell(
      'Health',
      h('span', {}, String(lead.healthScore), ' ', trendArrow(trend?.health, 'Health')),
      'healthScore',
    ),
    cell('Velocity', lead.velocityScore, 'velocityScore'),
    cell('Conversion probability', percent(lead.conversionProbability), 'conversionProbability'),
    cell('Churn risk', churnChip(lead.churnRisk), 'churnRisk'),
    cell('Follow-up', followUpChip(lead.followUpStatus), 'followUpStatus'),
    cell('Overdue days', lead.overdueDays, 'overdueDays'),
    cell(
      'Recommendation',
      rec ? `${rec.priority ?? ''} · ${words(rec.action ?? '')}` : '—',
      'recommendation',
    ),
    cell(
      'Scores updated',
      new Date(lead.scoresLastUpdated).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC',
      'scoresLastUpdated',
    ),
  );
  const history = h('section', { class: 'history' }, h('h3', {}, 'Last 30 days'));
  const snapshots = detail?.snapshots ?? [];
  if (snapshots.length === 0)
    history.append(
      h(
        'p',
        { class: 'muted' },
        detail
          ? 'No snapshots in the last 30 days.'
          : 'History shows once the API serves lead details (GET /api/leads/{id}).',
      ),
    );
  return [
    h(
      'p',
      { class: 'message' },
      priorityChip(rec?.priority),
      ' ',
      plainMessage(rec?.message) ?? 'No recommendation.',
    ),
    rec?.reasoning ? h('p', { class: 'muted' }, rec.reasoning) : h('span'),
    scores,
    factorList('Why this priority', detail?.reasons ?? rec?.factors ?? []) ?? h('span'),
    factorList('Why this conversion', detail?.conversionReasons ?? rec?.conversionFactors ?? []) ?? h('span'),
    history,
  ];
}

/** The lead drawer: a dialog beside the queue; Escape or × closes it and gives focus back to the row. */
export class Drawer {
  private returnFocus: HTMLElement | null = null;
  private request = 0;

  constructor(private readonly el: HTMLElement) {
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  async open(lead: Lead, from: HTMLElement | null): Promise<void> {
    this.returnFocus = from;
    const id = ++this.request;
    this.render(lead, null, true);
    let detail: LeadDetail | null = null;
    try {
      detail = await getJson<LeadDetail>(`leads/${lead.leadId}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e; // without the detail endpoint: the row is all there is
    }
    if (id === this.request) this.render(detail?.lead ?? lead, detail, false);
  }

  private render(lead: Lead, detail: LeadDetail | null, loading: boolean): void {
    const close = h(
      'button',
      { class: 'close', type: 'button', 'aria-label': 'Close', onclick: () => this.close() },
      '×',
    );
    const body = drawerBody(lead, detail);
    const hadFocus = loading || this.el.contains(document.activeElement);
    this.el.replaceChildren(
      h('header', {}, h('h2', { id: 'drawer-title' }, leadName(lead)), close),
      h('p', { class: 'muted' }, [lead.company, lead.status, lead.source].filter(Boolean).join(' · ')),
      ...body,
    );
    this.el.hidden = false;
    this.el.dataset.leadId = String(lead.leadId);
    this.el.dataset.state = loading ? 'loading' : 'ready';
    const snapshots = detail?.snapshots ?? [];
    const history = this.el.querySelector<HTMLElement>('.history');
    if (history && snapshots.length > 0)
      historyChart(history, snapshots, Math.min(420, this.el.clientWidth - 40));
    if (hadFocus) close.focus();
  }

  close(): void {
    this.el.hidden = true;
    this.request++;
    this.returnFocus?.focus();
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }
}
