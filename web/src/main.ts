import {
  ApiError,
  BANDS,
  CHURN_RISKS,
  FOLLOW_UPS,
  getJson,
  type Lead,
  type LeadsPage,
  type Overview,
} from './api';
import { churnChip, followUpChip } from './chips';
import { fmt, h } from './dom';
import { Drawer } from './drawer';
import { filtersFrom, queryOf, searchText, SORTS, toggled, type Filters } from './filters';
import { renderHeader } from './header';
import { queueKeys, renderQueue } from './queue';

const PAGE_SIZE = 50;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  filters: filtersFrom(location.search),
  /** The `next` cursor that opened each page so far (undefined for the first): Previous pops it. */
  cursors: [undefined] as (string | undefined)[],
  page: null as LeadsPage | null,
  /** Whether the API filters by band (issue 12): unknown until the first page says so. */
  bands: null as boolean | null,
  bandCounts: null as Record<string, number> | null,
  notice: '',
};

const tbody = $<HTMLTableElement>('queue').tBodies[0]!;
const drawer = new Drawer($('drawer'));

function openLead(lead: Lead): void {
  const row = tbody.querySelector<HTMLElement>(`tr[data-lead-id="${lead.leadId}"]`);
  void drawer.open(lead, row);
}

function setFilters(next: Filters): void {
  state.filters = next;
  state.cursors = [undefined];
  const query = queryOf(next);
  history.pushState(null, '', query ? `?${query}` : location.pathname);
  void load();
}

function toggleGroup(
  label: string,
  key: 'band' | 'churnRisk' | 'followUpStatus',
  values: readonly string[],
  chip: (v: string, n?: number) => HTMLElement,
  counts: Record<string, number> | null,
): HTMLElement {
  return h(
    'fieldset',
    { class: 'group', 'data-filter': key },
    h('legend', {}, label),
    ...values.map((v) => {
      const pressed = state.filters[key].includes(v);
      return h(
        'button',
        {
          type: 'button',
          class: 'toggle',
          'aria-pressed': String(pressed),
          'data-value': v,
          onclick: () => setFilters({ ...state.filters, [key]: toggled(state.filters[key], v) }),
        },
        chip(v, counts?.[v]),
      );
    }),
  );
}

function renderFilters(): void {
  const page = state.page;
  const statuses = [...new Set(page?.leads.map((l) => l.status ?? '').filter((s) => s !== ''))].sort();
  const status = h('input', {
    id: 'status-filter',
    list: 'statuses',
    placeholder: 'e.g. New, Qualified',
    value: state.filters.status.join(', '),
    'aria-label': 'Status',
  });
  status.addEventListener('change', () =>
    setFilters({
      ...state.filters,
      status: status.value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    }),
  );
  const search = h('input', {
    id: 'search-filter',
    type: 'search',
    placeholder: 'Name or company',
    value: state.filters.search,
    maxlength: '100',
    'aria-label': 'Search by name or company',
  });
  search.addEventListener('change', () => setFilters({ ...state.filters, search: searchText(search.value) }));
  const owner = h('input', {
    id: 'owner-filter',
    type: 'number',
    min: '1',
    placeholder: 'Owner id',
    value: state.filters.owner,
    'aria-label': 'Owner',
  });
  owner.addEventListener('change', () =>
    setFilters({
      ...state.filters,
      owner: /^[1-9]\d{0,9}$/.test(owner.value.trim()) ? owner.value.trim() : '',
    }),
  );
  const sort = h(
    'select',
    { id: 'sort', 'aria-label': 'Sort' },
    ...SORTS.map((s) => h('option', { value: s, selected: s === state.filters.sort }, `by ${s}`)),
  );
  sort.addEventListener('change', () =>
    setFilters({ ...state.filters, sort: sort.value as Filters['sort'] }),
  );
  $('filters').replaceChildren(
    state.bands
      ? toggleGroup(
          'Band',
          'band',
          BANDS,
          (v, n) =>
            h(
              'span',
              { class: `chip band-chip band-${v}` },
              v,
              n === undefined ? null : h('span', { class: 'count' }, ` ${fmt(n)}`),
            ),
          state.bandCounts,
        )
      : h('span'),
    toggleGroup('Churn risk', 'churnRisk', CHURN_RISKS, churnChip, page?.aggregates.churnRisk ?? null),
    toggleGroup(
      'Follow-up',
      'followUpStatus',
      FOLLOW_UPS,
      followUpChip,
      page?.aggregates.followUpStatus ?? null,
    ),
    h(
      'fieldset',
      { class: 'group' },
      h('legend', {}, 'Status'),
      status,
      h('datalist', { id: 'statuses' }, ...statuses.map((s) => h('option', { value: s }))),
    ),
    h('fieldset', { class: 'group' }, h('legend', {}, 'Search'), search),
    h('fieldset', { class: 'group' }, h('legend', {}, 'Owner'), owner),
    h('fieldset', { class: 'group' }, h('legend', {}, 'Order'), sort),
  );
}

/** Counts per band of the current filters (other than band): the aggregates' own when the API has them, else one
 * `limit=1` call per band (the API filters by band from issue 12 on). */
async function loadBandCounts(page: LeadsPage): Promise<void> {
  if (page.aggregates.band) {
    state.bandCounts = page.aggregates.band;
    return;
  }
  const base = { ...state.filters, band: [] as string[] };
  const counts = await Promise.all(
    BANDS.map((b) => getJson<LeadsPage>(`leads?${queryOf({ ...base, band: [b] }, { limit: '1' })}`)),
  );
  state.bandCounts = Object.fromEntries(BANDS.map((b, i) => [b, counts[i]!.aggregates.count]));
}

function renderSummary(): void {
  const page = state.page;
  const index = state.cursors.length - 1;
  const first = index * PAGE_SIZE + 1;
  const count = page?.aggregates.count ?? 0;
  $('summary').replaceChildren(
    h('strong', { id: 'lead-count' }, fmt(count)),
    ` active leads${queryOf(state.filters) ? ' match' : ''}`,
    page && page.leads.length > 0 ? ` · showing ${fmt(first)}–${fmt(first + page.leads.length - 1)}` : '',
    state.notice ? h('span', { class: 'notice' }, ` · ${state.notice}`) : '',
  );
  $<HTMLButtonElement>('prev').disabled = index === 0;
  $<HTMLButtonElement>('next').disabled = !page?.next;
  $('page-info').textContent = `Page ${index + 1}${count > 0 ? ` of ${Math.ceil(count / PAGE_SIZE)}` : ''}`;
}

async function load(): Promise<void> {
  const main = $('board');
  main.dataset.state = 'loading';
  const cursor = state.cursors[state.cursors.length - 1];
  const extra: Record<string, string> = { limit: String(PAGE_SIZE) };
  if (cursor) extra.next = cursor;
  let page: LeadsPage;
  try {
    page = await getJson<LeadsPage>(`leads?${queryOf(state.filters, extra)}`);
  } catch (e) {
    // the API before issue 12 refuses `band`: drop it and say so, rather than show nothing
    if (e instanceof ApiError && e.status === 400 && state.filters.band.length > 0 && state.bands !== true) {
      state.bands = false;
      state.filters = { ...state.filters, band: [] };
      state.notice = 'this API does not filter by band yet';
      return load();
    }
    main.dataset.state = 'error';
    $('summary').textContent =
      e instanceof Error ? `Could not load the leads: ${e.message}` : 'Could not load the leads';
    return;
  }
  state.page = page;
  if (state.bands === null && page.leads.length > 0) state.bands = page.leads[0]!.band !== undefined;
  $('queue').classList.toggle('no-band', state.bands !== true);
  if (state.bands) await loadBandCounts(page).catch(() => (state.bandCounts = null));
  renderQueue(tbody, page.leads, (state.cursors.length - 1) * PAGE_SIZE + 1, openLead);
  renderFilters();
  renderSummary();
  main.dataset.state = 'ready';
  performance.mark('board-ready');
}

function wire(): void {
  queueKeys(tbody, (id) => {
    const lead = state.page?.leads.find((l) => l.leadId === id);
    if (lead) openLead(lead);
  });
  $('next').addEventListener('click', () => {
    if (!state.page?.next) return;
    state.cursors.push(state.page.next);
    void load().then(() => tbody.rows[0]?.focus());
  });
  $('prev').addEventListener('click', () => {
    if (state.cursors.length <= 1) return;
    state.cursors.pop();
    void load().then(() => tbody.rows[0]?.focus());
  });
  window.addEventListener('popstate', () => {
    state.filters = filtersFrom(location.search);
    state.cursors = [undefined];
    void load();
  });
  getJson<Overview>('overview').then(
    (o) => renderHeader($('overview'), o),
    () => ($('overview').textContent = 'Run and model status unavailable.'),
  );
}

wire();
void load();
