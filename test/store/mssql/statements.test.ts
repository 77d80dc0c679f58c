import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Q from '../../../src/store/mssql/statements';
import {
  LEAD_ID_LIST_COLUMNS,
  SCORE_ROW_COLUMNS,
  SNAPSHOT_ROW_COLUMNS,
  scoreRowsTvp,
} from '../../../src/store/mssql/tvp';
import { migrationsRoot, renderMigrations } from '../../../src/store/migrationFiles';
import { DEFAULT_MAPPING } from '../../../src/mapping';
import { allocateLeadScores } from '../../../src/scoring';
import { leadsStatementShapes } from '../../helpers/leadsShapes';
import { parseTsql, parseTsqlScript, tsqlColumns } from '../../helpers/tsql';

const fixed: [string, string][] = Object.entries(Q as Record<string, unknown>).filter(
  (e): e is [string, string] => typeof e[1] === 'string',
);

const SHAPES = leadsStatementShapes({ churnRisk: 2, followUpStatus: 3, status: 1 });

describe('Azure SQL statements', () => {
  it('collects every fixed statement the adapter sends', () => {
    expect(fixed.map(([name]) => name).sort()).toStrictEqual(
      [
        'ACQUIRE_LOCK',
        'APPLIED_MIGRATIONS',
        'ASSERT_IN_TRANSACTION',
        'LEAD_TABLE_FACTS',
        'OBJECT_OR_TYPE_EXISTS',
        'ENSURE_SCHEMA_MIGRATIONS',
        'FINISH_RUN',
        'GET_RUN',
        'DESCRIBE_TABLE',
        'FORGET_MIGRATION',
        'OBJECT_OWNERS',
        'INSERT_MODEL',
        'LAST_MODEL_ATTEMPT',
        'LATEST_PUBLISHED_MODEL',
        'LEAD_DETAIL',
        'READ_TRAINING_CHUNK',
        'LIST_RUNS',
        'LOCK_HOLDER',
        'LOCK_MODE',
        'MERGE_SNAPSHOTS',
        'PURGE_SNAPSHOTS',
        'READ_CHUNK',
        'READ_CHUNK_SUBSET',
        'RECORD_MIGRATION',
        'RELEASE_LOCK',
        'RESET_LOCK_TIMEOUT',
        'START_RUN',
        'WRITE_SCORES_EVERY_RUN',
        'WRITE_SCORES_ON_CHANGE',
      ].sort(),
    );
  });

  it.each(fixed)('%s parses under the TSql grammar', (_name, statement) => {
    expect(parseTsql(statement).errors).toStrictEqual([]);
  });

  it.each(
    SHAPES.map((s) => [`${s.sortColumn} ${s.after ? 'with' : 'without'} filters and cursor`, s] as const),
  )('the leads query (%s) parses under the TSql grammar', (_label, shape) => {
    expect(parseTsql(Q.queryLeadsStatement(shape)).errors).toStrictEqual([]);
  });

  it('keeps values out of the statement text: every value is a parameter', () => {
    const text = Q.queryLeadsStatement(SHAPES[SHAPES.length - 1]!);
    expect(text).toContain('l.ChurnRisk IN (@churn0, @churn1)');
    expect(text).toContain('l.FollowUpStatus IN (@fus0, @fus1, @fus2)');
    expect(text).toContain('l.StatusKey IN (UPPER(LTRIM(RTRIM(@status0))))');
    expect(text).toContain(
      '(l.ConversionProbability < @afterValue OR (l.ConversionProbability = @afterValue AND l.LeadId > @afterId))',
    );
  });

  it('names no CRM table: the run reads and writes through the mapping views and its own objects only', () => {
    const texts = [...fixed.map(([, t]) => t), ...SHAPES.map((shape) => Q.queryLeadsStatement(shape))];
    const objects = new Set(texts.flatMap((t) => [...t.matchAll(/\bdbo\.(\w+)/g)].map((m) => m[1]!)));
    for (const o of objects) expect(o).toMatch(/^(li_|lead_|v_lead_|schema_migrations$)/);
    expect(texts.join('\n')).not.toMatch(/\bdbo\.(lead|FollowUps|Visit)\b/);
  });

  it('writes scores through dbo.li_leads and compares the JSON byte for byte, whatever the database collation', () => {
    for (const w of [Q.WRITE_SCORES_EVERY_RUN, Q.WRITE_SCORES_ON_CHANGE]) {
      expect(w).toMatch(
        /^SET XACT_ABORT ON;\nIF @@TRANCOUNT > 0 THROW 51001, N'[^']+', 1;\nBEGIN TRANSACTION;\nMERGE dbo\.li_leads AS t\n/,
      );
      expect(w).toContain(
        't.RecommendationJson COLLATE Latin1_General_100_BIN2 <> s.RecommendationJson COLLATE Latin1_General_100_BIN2',
      );
      expect(w).toMatch(/COMMIT TRANSACTION;$/);
    }
    // every-run advances ScoresLastUpdated on the unchanged rows; on-change writes nothing for them
    expect(Q.WRITE_SCORES_EVERY_RUN).toContain(
      'UPDATE t SET t.ScoresLastUpdated = @scoredAt\nFROM dbo.li_leads AS t',
    );
    expect(Q.WRITE_SCORES_ON_CHANGE).not.toMatch(/^UPDATE/m);
  });

  it('reads one active, scored lead and its snapshots by parameters, through the snapshot table’s clustered key', () => {
    expect(Q.LEAD_DETAIL).toContain(
      `WHERE l.LeadId = @leadId AND l.HealthScore IS NOT NULL AND COALESCE(sm.Category, 'active') = 'active';`,
    );
    expect(Q.LEAD_DETAIL).toContain(
      'WHERE s.LeadId = @leadId AND s.SnapshotDate >= @fromDay\nORDER BY s.SnapshotDate ASC;',
    );
    const band = Q.queryLeadsStatement({ ...SHAPES[1]!, bandRanges: 2 });
    expect(band).toContain(
      '(l.AIPriority BETWEEN @bandLo0 AND @bandHi0 OR l.AIPriority BETWEEN @bandLo1 AND @bandHi1)',
    );
  });

  it('lists only active leads by the status map, matching requested statuses trimmed and case-insensitively', () => {
    const text = Q.queryLeadsStatement(SHAPES[1]!);
    expect(text).toContain('LEFT JOIN dbo.lead_status_map AS sm ON sm.StatusKey = l.StatusKey');
    expect(text).toContain(`COALESCE(sm.Category, 'active') = 'active'`);
  });

  it('records a run start idempotently on its client key, closing stale running rows in the same transaction', () => {
    // a retry after a lost acknowledgement re-sends the whole batch: it must find the row, not insert a second one
    expect(Q.START_RUN).toMatch(
      /^SET XACT_ABORT ON;\nIF @@TRANCOUNT > 0 THROW 51001, N'[^']+', 1;\nBEGIN TRANSACTION;\n/,
    );
    expect(Q.START_RUN).toContain(
      "SELECT @runKey, @trigger, @startedAt, 'running', @requestedLeads\nWHERE NOT EXISTS (SELECT 1 FROM dbo.lead_scoring_runs WITH (UPDLOCK, HOLDLOCK) WHERE RunKey = @runKey);",
    );
    expect(Q.START_RUN).toContain('SELECT RunId FROM dbo.lead_scoring_runs WHERE RunKey = @runKey;');
    expect(Q.START_RUN).not.toContain('OUTPUT INSERTED');
    expect(Q.START_RUN).toContain(
      "WHERE Status = 'running' AND StartedAt < @staleBefore AND RunKey <> @runKey;",
    );
    expect(Q.START_RUN).toMatch(/COMMIT TRANSACTION;$/);
    // an outcome never overwrites a row that was closed as abandoned meanwhile
    expect(Q.FINISH_RUN).toContain("WHERE RunId = @runId AND Status = 'running';");
  });

  it('puts HOLDLOCK on the MERGE with an insert branch and terminates both MERGEs with a semicolon', () => {
    expect(Q.MERGE_SNAPSHOTS).toMatch(/^MERGE dbo\.lead_velocity_snapshots WITH \(HOLDLOCK\)/);
    expect(Q.MERGE_SNAPSHOTS).toContain('WHEN NOT MATCHED BY TARGET THEN');
    expect(Q.WRITE_SCORES_EVERY_RUN).not.toContain('NOT MATCHED');
    for (const m of [Q.WRITE_SCORES_EVERY_RUN, Q.MERGE_SNAPSHOTS])
      expect(m.split('\n').find((l: string) => l.trim().endsWith(';'))).toBeDefined();
  });
});

describe('table-valued parameters', () => {
  const types = tsqlColumns(
    renderMigrations('tsql', DEFAULT_MAPPING).flatMap((m) => parseTsqlScript(m.sql).parsed),
  );

  it.each([
    ['leadidlist', LEAD_ID_LIST_COLUMNS],
    ['leadscorerow', SCORE_ROW_COLUMNS],
    ['leadsnapshotrow', SNAPSHOT_ROW_COLUMNS],
  ] as const)('dbo.%s has the columns of its CREATE TYPE, in order', (type, columns) => {
    expect(columns.map((c) => c.name)).toStrictEqual(types.get(type));
  });

  it('builds a schema-qualified dbo.LeadScoreRow with one row per lead, enum codes as text', () => {
    const s = allocateLeadScores(Int32Array.of(7, 8));
    s.health.set([32, 90]);
    s.churnRisk.set([2, 0]);
    s.followUpStatus.set([1, 4]);
    s.conversion.set([7.88, 64.5]);
    const t = scoreRowsTvp(
      { scores: s, recommendationJson: ['{"a":1}', '{"b":2}'], scoredAt: 0, touchUnchanged: true },
      1,
      2,
    );
    expect(t.path).toBe('[dbo].[LeadScoreRow]');
    expect(t.schema).toBe('dbo');
    expect(t.rows).toStrictEqual([[8, 90, 0, 0, 64.5, 'low', 'scheduled', 0, '{"b":2}']]);
  });

  it('reads the verify script as two result sets', () => {
    const verify = readFileSync(join(migrationsRoot(), 'verify', '001_verify.sql'), 'utf8');
    expect(verify.match(/SELECT COUNT\(\*\)/g)).toHaveLength(2);
  });
});
