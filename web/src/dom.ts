type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/** Creates an element: `h('td', { class: 'num' }, 42)`. `on…` attributes become listeners; false/null are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
  return el;
}

const NUMBER = new Intl.NumberFormat('en-US');
export const fmt = (n: number): string => NUMBER.format(n);
/** ConversionProbability is a percentage (0–100, the guide's column). */
export const percent = (p: number): string => `${p.toFixed(1)}%`;

/** "in 12 min", "3 h ago": a time relative to now, for the header. */
export function relative(iso: string, now = Date.now()): string {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const a = Math.abs(s);
  const text =
    a < 60
      ? `${a} s`
      : a < 3600
        ? `${Math.round(a / 60)} min`
        : a < 172_800
          ? `${Math.round(a / 3600)} h`
          : `${Math.round(a / 86_400)} days`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000
    ? `${ms} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;
}

/** The words of a code: `this_week` → "this week". */
export const words = (code: string): string => code.replace(/_/g, ' ');
