import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsRoot, splitBatches } from '../../src/store/migrationFiles';
import { parseTsql, parseTsqlScript, topLevelStatements } from '../helpers/tsql';

const root = migrationsRoot();
const scripts = [
  ...readdirSync(root).filter((f) => f.endsWith('.sql')),
  ...readdirSync(join(root, 'verify')).map((f) => join('verify', f)),
];

describe('T-SQL migrations', () => {
  it('finds the numbered migrations, the rollback and the verification script', () => {
    expect(scripts).toEqual(
      expect.arrayContaining([
        '000_create_crm_baseline.sql',
        '001_add_lead_scoring_columns.sql',
        '001_add_lead_scoring_columns.rollback.sql',
        '002_create_scoring_contract.sql',
        '003_create_model_registry.sql',
        join('verify', '001_verify.sql'),
      ]),
    );
  });

  it.each(scripts)('%s parses batch by batch under the TSql grammar', (file) => {
    const { errors } = parseTsqlScript(readFileSync(join(root, file), 'utf8'));
    expect(errors).toStrictEqual([]);
  });

  it.each(scripts.filter((f) => /^\d{3}_/.test(f)))('%s runs in one transaction with XACT_ABORT', (file) => {
    const sql = readFileSync(join(root, file), 'utf8');
    const batches = splitBatches(sql);
    expect(batches[0]).toMatch(/SET XACT_ABORT ON;\s*BEGIN TRANSACTION;/);
    expect(batches[batches.length - 1]).toMatch(/COMMIT TRANSACTION;\s*$/);
  });

  it.each(scripts.filter((f) => /^\d{3}_[a-z_]+\.sql$/.test(f)))(
    '%s guards every statement (IF …), so that rerunning it changes nothing',
    (file) => {
      const { trees, batches } = parseTsqlScript(readFileSync(join(root, file), 'utf8'));
      const unguarded = trees
        .flatMap((t, i) => topLevelStatements(t, batches[i]!))
        .filter((text) => !/^(SET|BEGIN TRAN|COMMIT|IF|CREATE VIEW)/i.test(text));
      expect(unguarded).toStrictEqual([]);
    },
  );
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
