import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAPPING, GUIDE_MAPPING, loadCrmMapping, parseCrmMapping } from '../../src/mapping';
import { migrationsRoot, renderMigrations, renderScript, splitBatches } from '../../src/store/migrationFiles';
import { parseTsql, parseTsqlScript, topLevelStatements } from '../helpers/tsql';

const root = migrationsRoot();
const example = loadCrmMapping(join(root, '..', 'examples', 'crm-mapping.example.json'));
const bare = parseCrmMapping({ ...GUIDE_MAPPING, followUps: null, visits: null }, 'test');
const MAPPINGS = [
  ['the guide', DEFAULT_MAPPING],
  ['crm.Leads (the worked example)', example],
  ['a CRM without follow-ups or visits', bare],
] as const;

/** Every script, rendered with each mapping: forward, rollback, verification. */
const scripts: [string, string][] = MAPPINGS.flatMap(([label, mapping]) =>
  renderMigrations('tsql', mapping).flatMap((m) => [
    [`${m.name} (${label})`, m.sql] as [string, string],
    ...(m.rollbackSql ? [[`${m.name}.rollback (${label})`, m.rollbackSql] as [string, string]] : []),
  ]),
);
scripts.push(['verify/001_verify.sql', renderScript('verify/001_verify.sql', example)]);
const forward = (label: string): [string, string][] =>
  renderMigrations('tsql', label === 'guide' ? DEFAULT_MAPPING : example).map((m) => [m.name, m.sql]);

describe('T-SQL migrations', () => {
  it('has a rollback script for every migration', () => {
    const files = readdirSync(root);
    for (const f of files.filter((x) => /^\d{3}_[a-z0-9_]+\.sql$/.test(x)))
      expect(files).toContain(f.replace(/\.sql$/, '.rollback.sql'));
    expect(files.filter((x) => /^\d{3}_/.test(x) && !x.includes('rollback')).sort()).toStrictEqual([
      '000_create_crm_baseline.sql',
      '001_add_lead_scoring_columns.sql',
      '002_create_crm_mapping.sql',
      '003_create_scoring_contract.sql',
      '004_create_model_registry.sql',
      '005_alter_scoring_runs.sql',
      '006_add_snapshot_priority.sql',
    ]);
  });

  it.each(scripts)('%s parses batch by batch under the TSql grammar', (_name, sql) => {
    const { errors } = parseTsqlScript(sql);
    expect(errors).toStrictEqual([]);
  });

  it.each(scripts.filter(([n]) => /^\d{3}_/.test(n)))(
    '%s opens every transaction with XACT_ABORT and commits it in the same script',
    (_name, sql) => {
      const batches = splitBatches(sql);
      const begins = batches.filter((b) => /BEGIN TRANSACTION;/.test(b));
      for (const b of begins) expect(b).toMatch(/SET XACT_ABORT ON;[\s\S]*BEGIN TRANSACTION;/);
      expect(sql.match(/BEGIN TRANSACTION;/g)?.length).toBe(sql.match(/COMMIT TRANSACTION;/g)?.length);
    },
  );

  it.each(forward('example'))(
    '%s guards every statement (IF …), so that rerunning it changes nothing',
    (_n, sql) => {
      const { trees, batches } = parseTsqlScript(sql);
      const unguarded = trees
        .flatMap((t, i) => topLevelStatements(t, batches[i]!))
        .filter((text) => !/^(SET|BEGIN TRAN|COMMIT|IF|CREATE VIEW|MERGE)/i.test(text));
      expect(unguarded).toStrictEqual([]);
    },
  );

  it('001 keeps the lead table locked only for metadata changes: indexes online, outside any transaction, never filtered', () => {
    const sql = forward('example').find(([n]) => n.startsWith('001'))![1];
    const batches = splitBatches(sql);
    const indexBatches = batches.filter((b) =>
      /CREATE NONCLUSTERED INDEX IX_(lead_(AIPriority|HealthScore|Churn|OverdueDays)|FollowUps|Visit)/.test(
        b,
      ),
    );
    expect(indexBatches).toHaveLength(6);
    for (const b of indexBatches) {
      expect(b).not.toMatch(/BEGIN TRAN/);
      expect(b).toMatch(/SET LOCK_TIMEOUT 5000;/);
      // chosen at run time, in dynamic SQL: an unsupported ONLINE option must not fail the batch at compile time
      expect(b).toMatch(
        /WITH \(ONLINE = ON \(WAIT_AT_LOW_PRIORITY \(MAX_DURATION = 1 MINUTES, ABORT_AFTER_WAIT = SELF\)\)\)/,
      );
      expect(b).toContain("WHEN @edition = 3 THEN N' WITH (ONLINE = ON)'");
      expect(b).toMatch(/EXEC sp_executesql @sql;\s*END;$/);
      expect(b).toMatch(/ON \[crm\]\.\[(Leads|Tasks|Meetings)\]/);
      expect(b).not.toMatch(/\)\s*WHERE /); // no filtered index on a CRM table
    }
    const columns = batches[0]!;
    expect(columns).toMatch(/SET LOCK_TIMEOUT 5000;\s*BEGIN TRANSACTION;/);
    expect(
      columns.match(/sp_executesql N'ALTER TABLE \[crm\]\.\[Leads\] WITH NOCHECK ADD CONSTRAINT/g),
    ).toHaveLength(8);
    expect(columns).not.toMatch(/CREATE (NONCLUSTERED )?INDEX/);
  });

  it('renders the mapping: no CRM name outside 001 and the mapping views, no variable left', () => {
    for (const [name, sql] of forward('example')) {
      expect(sql).not.toMatch(/\$\(/);
      if (!name.startsWith('001') && !name.startsWith('002')) expect(sql).not.toMatch(/\[crm\]/);
    }
    const mapping = forward('example').find(([n]) => n.startsWith('002'))![1];
    expect(mapping).toContain('FROM [crm].[Leads] AS l');
    expect(mapping).toContain('l.[Stage] COLLATE DATABASE_DEFAULT AS LeadStatus');
    expect(mapping).toContain('UPPER(LTRIM(RTRIM(l.[Stage]))) COLLATE DATABASE_DEFAULT AS StatusKey');
    expect(mapping).toContain("(N'Closed Won', 'won', NULL)");
    expect(mapping).toContain("(N'Working', 'active', N'Contacted')");
  });
});

describe('parseTsql', () => {
  it('accepts what the adapter relies on: MERGE WITH (HOLDLOCK), CREATE TYPE AS TABLE, sp_getapplock, filtered indexes', () => {
    for (const sql of [
      'MERGE dbo.lead WITH (HOLDLOCK) AS t USING @rows AS s ON t.LeadId = s.LeadId WHEN MATCHED THEN UPDATE SET t.HealthScore = s.HealthScore;',
      'CREATE TYPE dbo.X AS TABLE (LeadId INT NOT NULL PRIMARY KEY);',
      "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = N'lead-scoring', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;",
      'CREATE INDEX IX_a ON dbo.lead (AIPriority DESC) INCLUDE (HealthScore) WHERE AIPriority IS NOT NULL;',
    ]) {
      expect(parseTsql(sql).errors).toStrictEqual([]);
    }
  });

  it('rejects broken SQL', () => {
    expect(parseTsql('SELEC LeadId FRM dbo.lead').errors.length).toBeGreaterThan(0);
    expect(parseTsql('ALTER TABLE dbo.lead ADD HealthScore TINYINT NULL,').errors.length).toBeGreaterThan(0);
    expect(
      parseTsql('MERGE dbo.lead AS t USING @rows AS s WHEN MATCHED THEN UPDATE SET;').errors.length,
    ).toBeGreaterThan(0);
  });
});

describe('topLevelStatements', () => {
  it('splits a batch into its top-level statements, nested ones belonging to their IF', () => {
    const sql = 'SET XACT_ABORT ON;\nIF 1 = 1\nBEGIN\n  SELECT 1;\nEND;\nCREATE TABLE dbo.t (a INT);';
    expect(topLevelStatements(parseTsql(sql).tree, sql)).toStrictEqual([
      'SET XACT_ABORT ON;',
      'IF 1 = 1 BEGIN SELECT 1; END;',
      'CREATE TABLE dbo.t (a INT);',
    ]);
  });
});
