import { ConfigError, MigrationError } from '../../src/errors';
import {
  DEFAULT_MAPPING,
  GUIDE_MAPPING,
  loadCrmMapping,
  mappingVariables,
  parseCrmMapping,
  renderTemplate,
} from '../../src/mapping';
import { planMigrations, planRollback, type RenderedMigration } from '../../src/store/migrationFiles';

const issuesOf = (raw: unknown): readonly string[] => {
  try {
    parseCrmMapping(raw, 'test.json');
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
};

describe('parseCrmMapping', () => {
  it('fills the guide names for every column a mapping leaves out', () => {
    expect(DEFAULT_MAPPING.lead.columns.LeadStatus).toBe('LeadStatus');
    expect(DEFAULT_MAPPING.followUps?.columns.DueDate).toBe('DueDate');
    expect(DEFAULT_MAPPING.statuses).toContainEqual({ status: 'Won', category: 'won', stage: null });
    expect(DEFAULT_MAPPING.statuses).toContainEqual({ status: 'New', category: 'active', stage: 'New' });
    expect(DEFAULT_MAPPING.statuses).toContainEqual({ status: 'Closed', category: 'closed', stage: null });
  });

  it('refuses identifiers that could escape quoting, listing every problem', () => {
    const issues = issuesOf({
      ...GUIDE_MAPPING,
      lead: { table: 'dbo.lead]; DROP TABLE x; --', key: 'Lead Id', columns: { Company: 'a"b' } },
    });
    expect(issues).toHaveLength(3);
    expect(issues.join('\n')).toMatch(/lead\.table: must be "table" or "schema\.table"/);
    expect(issues.join('\n')).toMatch(/lead\.key: must be a plain identifier/);
    expect(issues.join('\n')).toMatch(/lead\.columns\.Company: must be a plain identifier/);
  });

  it('refuses a status in two categories once trimmed and case-folded, and unknown keys', () => {
    expect(
      issuesOf({ ...GUIDE_MAPPING, statuses: { active: ['New'], won: ['Won'], lost: [' won '] } }),
    ).toStrictEqual([
      'statuses: "won" (lost) and "Won" (won) are the same status once trimmed and case-folded',
    ]);
    expect(issuesOf({ ...GUIDE_MAPPING, leads: {} })).toStrictEqual([`(root): Unrecognized key: "leads"`]);
    expect(
      issuesOf({
        ...GUIDE_MAPPING,
        lead: { table: 'dbo.lead', key: 'LeadId', columns: { LeadStatus: null } },
      }),
    ).toStrictEqual(['lead.columns.LeadStatus: required (the status map reads it)']);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadCrmMapping('/nonexistent/mapping.json')).toThrow(
      /Invalid configuration in the mapping file \/nonexistent\/mapping\.json:\n {2}- cannot be read/,
    );
  });
});

describe('renderTemplate', () => {
  it('substitutes sqlcmd variables, quoting per dialect, and keeps or drops optional blocks', () => {
    const m = parseCrmMapping(
      { ...GUIDE_MAPPING, lead: { table: 'crm.Leads', key: 'Id' }, visits: null },
      't',
    );
    const sql =
      'ALTER TABLE $(LeadTable) ADD x INT; -- $(LeadKey)\n-- li:if visits\nVISITS $(VisitTable)\n-- li:end\nEND';
    expect(renderTemplate(sql, m, 'tsql', 't')).toBe('ALTER TABLE [crm].[Leads] ADD x INT; -- [Id]\nEND');
    expect(renderTemplate(sql, m, 'sqlite', 't')).toBe('ALTER TABLE "Leads" ADD x INT; -- "Id"\nEND');
    expect(() => renderTemplate('$(Nope)', m, 'tsql', 'x.sql')).toThrow(/variable \$\(Nope\) is not defined/);
  });

  it('doubles quotes in status literals and upper-cases them in the engine, not in JavaScript', () => {
    const m = parseCrmMapping(
      { ...GUIDE_MAPPING, statuses: { active: ["O'Brien's list"], won: ['Won'] } },
      't',
    );
    expect(mappingVariables(m, 'tsql').StatusMapRows).toBe(
      "(N'O''Brien''s list', 'active', NULL),\n    (N'Won', 'won', NULL)",
    );
  });
});

const migration = (version: string, checksum: string, rerunnable = false): RenderedMigration => ({
  version,
  name: `${version}_m`,
  path: '',
  sql: '',
  rollbackSql: version === '003' ? null : '-- undo',
  rerunnable,
  checksum,
});
const ALL = [
  migration('000', 'a'),
  migration('001', 'b'),
  migration('002', 'c', true),
  migration('003', 'd', true),
];

describe('planMigrations', () => {
  it('never plans the CRM baseline without --with-baseline', () => {
    const plan = planMigrations(ALL, []);
    expect(plan.steps.map((s) => s.migration.version)).toStrictEqual(['001', '002', '003']);
    expect(plan.skipped.map((s) => s.name)).toStrictEqual(['000_m']);
    expect(plan.complete).toBe(true);
    expect(planMigrations(ALL, [], { withBaseline: true }).steps).toHaveLength(4);
  });

  it('re-applies a rerunnable migration whose rendered text changed, and refuses for any other', () => {
    const applied = ALL.map((m) => ({ version: m.version, checksum: m.checksum }));
    expect(planMigrations(ALL, applied).steps).toStrictEqual([]);
    const changed = applied.map((a) => (a.version === '002' ? { ...a, checksum: 'old' } : a));
    expect(planMigrations(ALL, changed).steps).toStrictEqual([
      { migration: ALL[2], rerun: true },
      { migration: ALL[3], rerun: true }, // built on 002's objects: recreated after them
    ]);
    const lead = applied.map((a) => (a.version === '001' ? { ...a, checksum: 'old' } : a));
    expect(() => planMigrations(ALL, lead)).toThrow(MigrationError);
    expect(() => planMigrations(ALL, lead)).toThrow(/001_m was applied with a different mapping/);
  });
});

describe('planRollback', () => {
  const applied = ['000', '001', '002'].map((version) => ({ version, checksum: null }));
  it('rolls back only the newest applied migration, naming what must go first', () => {
    expect(planRollback(ALL, applied, '002').version).toBe('002');
    expect(() => planRollback(ALL, applied, '001')).toThrow(
      '001_m is not the newest applied migration (002 is): roll back 002 first',
    );
    expect(() => planRollback(ALL, applied, '003')).toThrow('003_m is not applied');
    expect(() => planRollback(ALL, [{ version: '000', checksum: null }], '000')).toThrow(
      /needs --with-baseline/,
    );
    expect(() => planRollback(ALL, [...applied, { version: '003', checksum: null }], '003')).toThrow(
      /has no rollback script/,
    );
  });
});
