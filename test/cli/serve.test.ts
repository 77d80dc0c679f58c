import { EXIT } from '../../src/cli/exitCodes';
import { cliHarness } from './cliHarness';

describe('lead-intel serve', () => {
  const h = cliHarness();

  /** The address `serve` printed, once it has printed it. */
  async function address(): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const line = h.stdout.join('').match(/Lead board: (http:\/\/127\.0\.0\.1:\d+)\/api\/board\//);
      if (line) return line[1]!;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`serve printed no address: ${h.stdout.join('')}${h.stderr.join('')}`);
  }

  it("answers the function app's API routes on 127.0.0.1 over the embedded database until stopped", async () => {
    expect(await h.cli('seed', '--leads', '60', '--closed', '10')).toBe(EXIT.OK);
    expect(await h.cli('run')).toBe(EXIT.OK);
    const serving = h.cli('serve', '--port', '0');
    const base = await address();
    const leads = (await (await fetch(`${base}/api/leads?limit=5`)).json()) as {
      leads: unknown[];
      aggregates: { count: number };
    };
    expect(leads.leads).toHaveLength(5);
    expect(leads.aggregates.count).toBe(60);
    const overview = (await (await fetch(`${base}/api/scoring/overview`)).json()) as {
      lastRun: { status: string };
    };
    expect(overview.lastRun.status).toBe('succeeded');
    expect((await fetch(`${base}/api/board/data/leads?limit=1`)).status).toBe(200);
    expect((await fetch(`${base}/api/leads?nope=1`)).status).toBe(400);
    expect((await fetch(`${base}/api/scoring/runs`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toStrictEqual([302, '/api/board/']);
    process.emit('SIGINT');
    expect(await serving).toBe(EXIT.OK);
  });

  it('refuses to create a database that does not exist', async () => {
    expect(await h.cli('serve', '--port', '0')).toBe(EXIT.STORE_UNAVAILABLE);
    expect(h.stderr.join('')).toContain('STORE_UNAVAILABLE');
  });
});
