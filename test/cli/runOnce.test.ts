import { runOnce } from '../../src/cli/runOnce';
import { loadConfig } from '../../src/config/loadConfig';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

describe('runOnce', () => {
  it('records a run of `lead-intel watch` as a watch run, and a one-off run as cli', async () => {
    const t = tempStore();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      generateCrm(t.store.connection, { leads: 20, closedLeads: 0, now: Date.now(), seed: 3 });
      const config = loadConfig({ LEAD_INTEL_SQLITE_PATH: t.path, MODEL_ENABLED: 'false' });
      await runOnce(t.store, config, { trigger: 'watch' });
      await runOnce(t.store, config, {});
      const runs = t.store.connection
        .prepare('SELECT TriggerKind FROM lead_scoring_runs ORDER BY RunId')
        .pluck()
        .all();
      expect(runs).toStrictEqual(['watch', 'cli']);
    } finally {
      stderr.mockRestore();
      await t.cleanup();
    }
  });
});
