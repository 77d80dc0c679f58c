import { BANDS, CHURN_RISKS, FOLLOW_UPS } from './api';

/** The filters of the queue, as `GET /api/leads` takes them; the page's URL holds the same parameters. */
export interface Filters {
  band: string[];
  churnRisk: string[];
  followUpStatus: string[];
  status: string[];
  /** The CRM's owner id ('' = everyone). */
  owner: string;
  /** Text in the lead's name or company ('' = none). */
  search: string;
  sort: 'priority' | 'health' | 'overdue' | 'conversion';
}

export const SORTS = ['priority', 'health', 'overdue', 'conversion'] as const;
const MULTI = ['band', 'churnRisk', 'followUpStatus', 'status'] as const;
const ALLOWED: Record<(typeof MULTI)[number], readonly string[] | null> = {
  band: BANDS,
  churnRisk: CHURN_RISKS,
  followUpStatus: FOLLOW_UPS,
  status: null,
};

/** Reads the filters from a query string (`?churnRisk=high,critical&sort=health`); unknown values are dropped. */
export function filtersFrom(search: string): Filters {
  const params = new URLSearchParams(search);
  const list = (key: (typeof MULTI)[number]) => {
    const values = params
      .getAll(key)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const allowed = ALLOWED[key];
    return [...new Set(allowed ? values.filter((v) => allowed.includes(v)) : values)];
  };
  const sort = params.get('sort');
  const owner = (params.get('owner') ?? '').trim();
  return {
    band: list('band'),
    churnRisk: list('churnRisk'),
    followUpStatus: list('followUpStatus'),
    status: list('status'),
    owner: /^[1-9]\d{0,9}$/.test(owner) ? owner : '',
    search: searchText(params.get('search') ?? ''),
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Filters['sort']) : 'priority',
  };
}

/** The query string of the filters (the page's URL and the API call share it); empty filters are left out. */
export function queryOf(f: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of MULTI) if (f[key].length > 0) params.set(key, f[key].join(','));
  if (f.owner !== '') params.set('owner', f.owner);
  if (f.search !== '') params.set('search', f.search);
  if (f.sort !== 'priority') params.set('sort', f.sort);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** `values` with `value` added or removed. */
export function toggled(values: readonly string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

/** A search the API takes: 2–100 characters after trimming, else none. */
export function searchText(v: string): string {
  const t = v.trim().slice(0, 100);
  return t.length >= 2 ? t : '';
}
