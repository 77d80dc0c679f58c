import { loadConfig } from '../../src/config/loadConfig';
import { ConfigError } from '../../src/errors';

describe('loadConfig', () => {
  it('fills every default from an empty environment and freezes the result', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      store: { kind: 'sqlite', sqlitePath: '.data/leads.db' },
      schedule: '0 */30 * * * *',
      chunkSize: 5000,
    });
    expect(c.scoring.health.weights.recency).toBe(35);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.scoring.health)).toBe(true);
  });

  it('reads the settings it knows and applies scoring overrides', () => {
    const c = loadConfig({
      LEAD_INTEL_SQLITE_PATH: '/tmp/x.db',
      SCORING_SCHEDULE: '0 0 * * * *',
      SCORING_CHUNK_SIZE: '2000',
      SCORING_CONFIG: '{"churn":{"highOverdueDays":10}}',
      UNRELATED: 'ignored',
    });
    expect(c.sqlitePath).toBe('/tmp/x.db');
    expect(c.store).toStrictEqual({ kind: 'sqlite', sqlitePath: '/tmp/x.db' });
    expect(c.schedule).toBe('0 0 * * * *');
    expect(c.chunkSize).toBe(2000);
    expect(c.scoring.churn.highOverdueDays).toBe(10);
  });

  it('lists every problem at once, each naming the setting and the value', () => {
    let error: unknown;
    try {
      loadConfig({
        LEAD_INTEL_STORE: 'oracle',
        SCORING_SCHEDULE: '*/5 * * * *',
        SCORING_CHUNK_SIZE: 'ten',
        SCORING_CONFIG: '{"health":{"weights":{"recency":-1}},"nope":1}',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.issues).toHaveLength(5);
    expect(e.issues[0]).toMatch(/^LEAD_INTEL_STORE: .* \(got "oracle"\)$/);
    expect(e.issues[1]).toBe(
      'SCORING_SCHEDULE: "*/5 * * * *" must have 6 fields (second minute hour day month weekday), as NCRONTAB (got "*/5 * * * *")',
    );
    expect(e.issues[2]).toMatch(/^SCORING_CHUNK_SIZE: .* \(got "ten"\)$/);
    expect(e.issues.slice(3)).toStrictEqual([
      'SCORING_CONFIG.health.weights.recency: Too small: expected number to be >=0',
      'SCORING_CONFIG.(root): Unrecognized key: "nope"',
    ]);
  });

  it('reads boolean settings in the usual spellings, case-insensitive and trimmed', () => {
    const spellings: [string, boolean][] = [
      ['true', true],
      ['TRUE', true],
      [' True ', true],
      ['1', true],
      ['yes', true],
      ['Yes', true],
      ['on', true],
      ['ON', true],
      ['false', false],
      ['False', false],
      ['0', false],
      ['no', false],
      ['NO', false],
      ['off', false],
      [' Off\t', false],
    ];
    for (const [value, expected] of spellings) {
      const c = loadConfig({ MODEL_ENABLED: value, MSSQL_TRUST_SERVER_CERTIFICATE: value });
      expect([value, c.model.enabled]).toStrictEqual([value, expected]);
    }
  });

  it('lists every boolean setting it cannot read, naming the value', () => {
    let error: unknown;
    try {
      loadConfig({ MODEL_ENABLED: 'maybe', MSSQL_TRUST_SERVER_CERTIFICATE: 'y' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toStrictEqual([
      'MSSQL_TRUST_SERVER_CERTIFICATE: must be true/false, 1/0, yes/no or on/off (any case) (got "y")',
      'MODEL_ENABLED: must be true/false, 1/0, yes/no or on/off (any case) (got "maybe")',
    ]);
  });

  it('reports SCORING_CONFIG that is not JSON', () => {
    expect(() => loadConfig({ SCORING_CONFIG: '{churn:' })).toThrow(/SCORING_CONFIG: not valid JSON/);
  });
});
