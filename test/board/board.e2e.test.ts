import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { LeadRecord } from '../../src/store/leadStore';
import { startBoardHarness, type BoardHarness } from './boardHarness';

// End to end: the board in headless Chromium against `lead-intel serve`'s server on a seeded, scored database.
// 180 active leads (4 pages of 50) and 300 closed ones, so a conversion model is trained and its card shown.
const NOW = Date.UTC(2026, 10, 20, 9, 0);
const DOCS = join(__dirname, '..', '..', 'docs');

interface Page_ {
  leads: LeadRecord[];
  next: string | null;
  aggregates: { count: number; churnRisk: Record<string, number> };
}

let h: BoardHarness;
beforeAll(async () => {
  h = await startBoardHarness({ leads: 180, closedLeads: 300, now: NOW });
}, 120_000);
afterAll(() => h?.close());
afterEach(() => {
  expect(pageErrors.splice(0)).toStrictEqual([]);
});

/** Errors the pages logged (a script error, a Content-Security-Policy refusal): none is expected. */
const pageErrors: string[] = [];

async function open(query = ''): Promise<Page> {
  const page = await h.browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  // answers the board expects from an API without issue 12: no lead detail (404), no band filter (400)
  page.on('response', (r) => {
    const expected =
      (r.status() === 404 && /\/data\/leads\/\d+$/.test(r.url())) ||
      (r.status() === 400 && r.url().includes('band='));
    if (r.status() >= 400 && !expected) pageErrors.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${h.server.url}${query}`);
  await ready(page);
  return page;
}

/** Waits for the queue to finish loading (main[data-state=ready] is set after each render). */
async function ready(page: Page): Promise<void> {
  await page.waitForSelector('main[data-state="ready"]');
}

// evaluated in the page as text: the tests' TypeScript has no DOM types
const rowIds = (page: Page) =>
  page.evaluate<number[]>(
    "[...document.querySelectorAll('#queue tbody tr')].map((r) => Number(r.dataset.leadId))",
  );

describe('the lead board in Chromium', () => {
  it("lists the queue in the API's order, with the last run and the model card in the header", async () => {
    const page = await open();
    const api = await h.api<Page_>('/api/leads?limit=50');
    expect(await rowIds(page)).toStrictEqual(api.leads.map((l) => l.leadId));
    expect(await page.textContent('#lead-count')).toBe(api.aggregates.count.toLocaleString('en-US'));
    const first = page.locator('#queue tbody tr').first();
    expect(await first.locator('.priority .num').textContent()).toBe(String(api.leads[0]!.aiPriority));
    await page.waitForSelector('.card.model');
    expect(await page.textContent('.card.run .run-status')).toBe('succeeded');
    expect(await page.textContent('.card.model')).toMatch(/Learned model · holdout AUC 0\.\d{3}/);
    expect(await page.locator('.card.model .calibration canvas').count()).toBe(1);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(DOCS, 'board.png') });
    await page.close();
  });

  it('narrows the queue with each filter and keeps the filters in the URL', async () => {
    const page = await open();
    const all = await h.api<Page_>('/api/leads?limit=1');
    await page.click('[data-filter="churnRisk"] [data-value="high"]');
    await ready(page);
    expect(new URL(page.url()).searchParams.get('churnRisk')).toBe('high');
    const high = await h.api<Page_>('/api/leads?churnRisk=high&limit=50');
    expect(high.aggregates.count).toBeLessThan(all.aggregates.count);
    expect(await rowIds(page)).toStrictEqual(high.leads.map((l) => l.leadId));

    await page.click('[data-filter="followUpStatus"] [data-value="overdue"]');
    await ready(page);
    const both = await h.api<Page_>('/api/leads?churnRisk=high&followUpStatus=overdue&limit=50');
    expect(both.aggregates.count).toBeLessThan(high.aggregates.count);
    expect(await rowIds(page)).toStrictEqual(both.leads.map((l) => l.leadId));
    expect(new URL(page.url()).search).toBe('?churnRisk=high&followUpStatus=overdue');

    // status and order: the URL carries them too, and the page opened from that URL shows the same view
    const status = high.leads[0]!.status!;
    await page.fill('#status-filter', status);
    await page.press('#status-filter', 'Enter');
    await ready(page);
    await page.selectOption('#sort', 'health');
    await ready(page);
    const query = `churnRisk=high&followUpStatus=overdue&status=${encodeURIComponent(status)}&sort=health`;
    expect(new URL(page.url()).search).toBe(`?${query}`);
    const view = await h.api<Page_>(`/api/leads?${query}&limit=50`);
    expect(await rowIds(page)).toStrictEqual(view.leads.map((l) => l.leadId));
    const shared = await open(`?${query}`);
    expect(await rowIds(shared)).toStrictEqual(view.leads.map((l) => l.leadId));
    expect(await shared.getAttribute('[data-filter="churnRisk"] [data-value="high"]', 'aria-pressed')).toBe(
      'true',
    );
    await shared.close();

    // owner and search: each narrows the view and lands in the URL
    const first = view.leads[0]!;
    const word = (first.company ?? first.name ?? '').split(' ')[0]!;
    await page.fill('#search-filter', word);
    await page.press('#search-filter', 'Enter');
    await ready(page);
    expect(new URL(page.url()).searchParams.get('search')).toBe(word);
    const searched = await h.api<Page_>(`/api/leads?${query}&search=${encodeURIComponent(word)}&limit=50`);
    expect(searched.aggregates.count).toBeGreaterThan(0);
    expect(searched.aggregates.count).toBeLessThanOrEqual(view.aggregates.count);
    expect(await rowIds(page)).toStrictEqual(searched.leads.map((l) => l.leadId));
    await page.fill('#search-filter', '');
    await page.press('#search-filter', 'Enter');
    await ready(page);
    await page.fill('#owner-filter', '1');
    await page.press('#owner-filter', 'Enter');
    await ready(page);
    expect(new URL(page.url()).searchParams.get('owner')).toBe('1');
    const owned = await h.api<Page_>(`/api/leads?${query}&owner=1&limit=50`);
    expect(owned.aggregates.count).toBeLessThan(view.aggregates.count);
    expect(await rowIds(page)).toStrictEqual(owned.leads.map((l) => l.leadId));
    await page.close();
  });

  it('reaches the last lead with the keyset paging', async () => {
    const page = await open();
    const everything = await h.api<Page_>('/api/leads?limit=500');
    const seen: number[] = [...(await rowIds(page))];
    while (await page.isEnabled('#next')) {
      await page.click('#next');
      await ready(page);
      seen.push(...(await rowIds(page)));
    }
    expect(seen).toStrictEqual(everything.leads.map((l) => l.leadId));
    expect(await page.textContent('#page-info')).toBe('Page 4 of 4');
    await page.click('#prev');
    await ready(page);
    expect(await rowIds(page)).toStrictEqual(everything.leads.slice(100, 150).map((l) => l.leadId));
    await page.close();
  });

  it("opens the drawer with the lead's numbers", async () => {
    const page = await open();
    const lead = (await h.api<Page_>('/api/leads?limit=50')).leads[2]!;
    await page.click(`#queue tbody tr[data-lead-id="${lead.leadId}"]`);
    await page.waitForSelector('#drawer[data-state="ready"]');
    const metric = (id: string) => page.textContent(`#drawer [data-metric="${id}"] dd`);
    expect(await page.textContent('#drawer-title')).toBe(lead.name);
    expect(await metric('aiPriority')).toMatch(new RegExp(`^${lead.aiPriority}\\b`));
    expect(await metric('healthScore')).toMatch(new RegExp(`^${lead.healthScore}\\b`));
    expect(await metric('velocityScore')).toBe(String(lead.velocityScore));
    expect(await metric('overdueDays')).toBe(String(lead.overdueDays));
    expect(await metric('churnRisk')).toContain(lead.churnRisk);
    // ConversionProbability is a percentage, shown with one decimal
    expect(await metric('conversionProbability')).toBe(`${lead.conversionProbability.toFixed(1)}%`);
    const rec = lead.recommendation as { priority: string; message: string };
    // the message without its leading emoji and priority word, after a chip with the priority as a word
    const message = (await page.textContent('#drawer .message'))!;
    expect(message).toContain(rec.priority);
    expect(
      rec.message.endsWith(message.slice(message.indexOf(rec.priority) + rec.priority.length).trim()),
    ).toBe(true);
    await page.screenshot({ path: join(DOCS, 'board-drawer.png') });
    await page.close();
  });

  it('works from the keyboard: arrows move through the queue, Enter opens a lead, Escape closes it', async () => {
    const page = await open();
    const ids = await rowIds(page);
    await page.focus('#queue tbody tr[tabindex="0"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate<number>('Number(document.activeElement.dataset.leadId)');
    expect(await focused()).toBe(ids[2]);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#drawer[data-state="ready"]');
    expect(await page.getAttribute('#drawer', 'data-lead-id')).toBe(String(ids[2]));
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#drawer')).toBe(true);
    expect(await focused()).toBe(ids[2]);
    await page.keyboard.press('End');
    expect(await focused()).toBe(ids[ids.length - 1]);
    await page.close();
  });

  it('filters by band when the API does (issue 12), and otherwise drops the band and says so', async () => {
    const page = await open('?band=A&churnRisk=low');
    const banded = await h.api<Partial<Page_>>('/api/leads?band=A&churnRisk=low&limit=50');
    if (banded.leads) {
      expect(await rowIds(page)).toStrictEqual(banded.leads.map((l) => l.leadId));
      expect(new URL(page.url()).searchParams.get('band')).toBe('A');
    } else {
      expect(await page.textContent('#summary')).toContain('does not filter by band yet');
      const low = await h.api<Page_>('/api/leads?churnRisk=low&limit=50');
      expect(await rowIds(page)).toStrictEqual(low.leads.map((l) => l.leadId));
    }
    await page.close();
  });
});
