import { DEFAULT_MAPPING } from '../../src/mapping';
import { crmSchemaProblems, type TableShape } from '../../src/store/crmSchemaProblems';

const guideColumns = [
  ['leadid', 'int'],
  ['firstname', 'nvarchar'],
  ['lastname', 'nvarchar'],
  ['company', 'nvarchar'],
  ['email', 'nvarchar'],
  ['leadstatus', 'nvarchar'],
  ['leadsource', 'nvarchar'],
  ['estimatedvalue', 'decimal'],
  ['owneruserid', 'int'],
  ['createddate', 'datetime2'],
  ['statuschangeddate', 'datetime2'],
  ['lastcontactdate', 'datetime2'],
  ['closeddate', 'datetime2'],
] as const;
const lead = (extra: Partial<TableShape> = {}, more: [string, string][] = []): TableShape => ({
  kind: 'table',
  columns: new Map([...guideColumns, ...more]),
  keyUnique: true,
  checks: new Set(),
  ...extra,
});
const activity: TableShape = {
  kind: 'table',
  columns: new Map(
    ['leadid', 'duedate', 'status', 'completeddate', 'createddate', 'visitdate'].map((c) => [c, 'x']),
  ),
};
const check = (l: TableShape | null, scoreColumnsApplied = false) =>
  crmSchemaProblems(DEFAULT_MAPPING, (t) => (t === 'dbo.lead' ? l : activity), {
    scoreColumnsApplied,
    dialect: 'tsql',
  });
// the guide's nine score columns and the eight CHECK constraints migration 001 names CK_lead_<column> (every
// score column but ScoresLastUpdated), written out rather than taken from SCORE_COLUMNS, which the code itself reads
const scoreColumns = [
  'HealthScore',
  'VelocityScore',
  'AIPriority',
  'ConversionProbability',
  'ChurnRisk',
  'FollowUpStatus',
  'OverdueDays',
  'RecommendationJson',
  'ScoresLastUpdated',
];
const nine: [string, string][] = scoreColumns.map((c) => [c.toLowerCase(), 'x']);
const ourChecks = new Set([
  'ck_lead_healthscore',
  'ck_lead_velocityscore',
  'ck_lead_aipriority',
  'ck_lead_conversionprobability',
  'ck_lead_churnrisk',
  'ck_lead_followupstatus',
  'ck_lead_overduedays',
  'ck_lead_recommendationjson',
]);

describe('crmSchemaProblems', () => {
  it('accepts the guide CRM as it is', () => {
    expect(check(lead())).toStrictEqual({ problems: [], warnings: [] });
  });

  it('refuses a key without a unique index, a LOB status and a missing table, each by name', () => {
    expect(check(lead({ keyUnique: false })).problems[0]).toMatch(
      /^key column dbo\.lead\.LeadId is not the key of a unique index or primary key/,
    );
    const lob = lead({}, [['leadstatus', 'ntext']]);
    expect(check(lob).problems).toStrictEqual([
      'status column dbo.lead.LeadStatus is ntext; indexes cannot include it',
    ]);
    expect(check(null).problems).toStrictEqual([
      'lead table dbo.lead (lead.table) does not exist (or this login cannot see it)',
    ]);
  });

  it('warns, without refusing, about an owner column the owner filter cannot compare with an integer', () => {
    expect(check(lead({}, [['owneruserid', 'uniqueidentifier']]))).toStrictEqual({
      problems: [],
      warnings: [
        "owner column dbo.lead.OwnerUserId is uniqueidentifier: the leads API's owner filter compares it with an integer id, which fails for this type (or for a value that is not a number); everything else works",
      ],
    });
    expect(check(lead({}, [['owneruserid', 'bigint']])).warnings).toStrictEqual([]);
    expect(check(lead({}, [['owneruserid', 'decimal']])).warnings).toStrictEqual([]);
  });

  it('refuses score columns that are not ours, and resumes an interrupted 001 (all nine and its constraints)', () => {
    expect(check(lead({}, [['healthscore', 'tinyint']])).problems[0]).toMatch(
      /^dbo\.lead already has HealthScore, and migration 001 is not recorded/,
    );
    expect(check(lead({}, nine)).problems).toHaveLength(1); // nine columns, but not 001's constraints
    expect(check(lead({ checks: ourChecks }, nine))).toStrictEqual({
      problems: [],
      warnings: ['dbo.lead has the nine score columns of an interrupted 001: it resumes'],
    });
    expect(check(lead({}, nine), true).problems).toStrictEqual([]);
  });

  it('reports what makes every write cost more, without refusing', () => {
    const r = check(
      lead({ writeFeatures: ['has 2 enabled trigger(s)', 'is tracked by change data capture'] }),
    );
    expect(r.problems).toStrictEqual([]);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toMatch(/^dbo\.lead has 2 enabled trigger\(s\): every score change/);
  });
});
