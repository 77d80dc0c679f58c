import { FeatureChunkBuilder, toEpochMs, VIEW_COLUMNS } from '../../src/store/featureChunkBuilder';

const COLUMNS = Object.keys(VIEW_COLUMNS);
const row = (over: Record<string, unknown> = {}): unknown[] => {
  const base: Record<string, unknown> = {
    LeadId: 1,
    LeadStatus: 'Qualified',
    LeadSource: 'Referral',
    EstimatedValue: 1000,
    CreatedDate: 1_700_000_000_000,
    PendingFollowUps: 2,
  };
  const r = { ...base, ...over };
  return COLUMNS.map((c) => (c in r ? r[c] : null)).concat(over.extra === undefined ? [] : [over.extra]);
};

describe('toEpochMs', () => {
  it('reads epoch numbers, Dates and ISO text; NULL is NaN; garbage is undefined', () => {
    expect(toEpochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs(new Date('2025-10-14T09:30:00Z'))).toBe(Date.UTC(2025, 9, 14, 9, 30));
    expect(toEpochMs('2025-10-14')).toBe(Date.UTC(2025, 9, 14));
    expect(toEpochMs('2025-10-14T09:30:00.000Z')).toBe(Date.UTC(2025, 9, 14, 9, 30));
    expect(toEpochMs(null)).toBeNaN();
    expect(toEpochMs('yesterday')).toBeUndefined();
    expect(toEpochMs(9e15)).toBeUndefined();
    expect(toEpochMs({})).toBeUndefined();
  });
});

describe('FeatureChunkBuilder', () => {
  it('maps view columns case-insensitively to typed arrays, with NaN for NULL dates and codes for text', () => {
    const b = new FeatureChunkBuilder(
      COLUMNS.map((c) => c.toUpperCase()),
      10,
    );
    b.add(row());
    const { features, issues } = b.finish();
    expect(features.leadId).toStrictEqual(Int32Array.of(1));
    expect(features.status).toStrictEqual(Uint8Array.of(3));
    expect(features.source).toStrictEqual(Uint8Array.of(2));
    expect(features.createdAt).toStrictEqual(Float64Array.of(1_700_000_000_000));
    expect(features.lastContactAt).toStrictEqual(Float64Array.of(NaN));
    expect(features.pendingFollowUps).toStrictEqual(Int32Array.of(2));
    expect(features.prevHealth).toStrictEqual(Float64Array.of(NaN));
    expect(issues).toStrictEqual({
      skippedRows: 0,
      invalidDates: 0,
      unknownStatuses: 0,
      invalidCounts: 0,
      invalidNumbers: 0,
    });
  });

  it('repairs each class of bad value with its documented fallback and counts it', () => {
    const b = new FeatureChunkBuilder(COLUMNS, 10);
    expect(b.add(row({ LeadId: null }))).toBe(false);
    expect(b.add(row({ LeadId: 'abc' }))).toBe(false);
    b.add(row({ LeadId: 2, CreatedDate: 'not a date', LastContactDate: '31/12/2024' }));
    b.add(row({ LeadId: 3, LeadStatus: 'Prospecting', LeadSource: 'Carrier pigeon' }));
    b.add(row({ LeadId: 4, PendingFollowUps: -3, Visits: 2.5, Visits7d: 'many' }));
    b.add(row({ LeadId: 5, EstimatedValue: 'lots', PrevHealthScore: 'n/a' }));
    const { features, issues } = b.finish();
    expect(features.leadId).toStrictEqual(Int32Array.of(2, 3, 4, 5));
    expect(features.createdAt[0]).toBeNaN();
    expect(features.lastContactAt[0]).toBeNaN();
    expect(features.status[1]).toBe(0);
    expect(features.source[1]).toBe(9); // other
    expect([features.pendingFollowUps[2], features.visits[2], features.visits7d[2]]).toStrictEqual([0, 2, 0]);
    expect(features.estimatedValue[3]).toBeNaN();
    expect(issues).toStrictEqual({
      skippedRows: 2,
      invalidDates: 2,
      unknownStatuses: 1,
      invalidCounts: 3,
      invalidNumbers: 2,
    });
  });

  it('carries extra view columns through: numbers as Float64Array, text as strings', () => {
    const b = new FeatureChunkBuilder([...COLUMNS, 'Industry'], 10);
    b.add(row({ LeadId: 1, extra: 'Retail' }));
    b.add(row({ LeadId: 2, extra: null }));
    expect(b.finish().extras).toStrictEqual({ Industry: ['Retail', null] });
    const n = new FeatureChunkBuilder([...COLUMNS, 'Employees'], 10);
    n.add(row({ LeadId: 1, extra: 40 }));
    n.add(row({ LeadId: 2, extra: null }));
    expect(n.finish().extras).toStrictEqual({ Employees: Float64Array.of(40, NaN) });
  });

  it('reports full at capacity and starts a fresh chunk after finish', () => {
    const b = new FeatureChunkBuilder(COLUMNS, 2);
    b.add(row({ LeadId: 1 }));
    expect(b.full).toBe(false);
    b.add(row({ LeadId: 2 }));
    expect(b.full).toBe(true);
    expect(b.finish().features.leadId).toStrictEqual(Int32Array.of(1, 2));
    expect(b.length).toBe(0);
  });

  it('refuses a view without LeadId', () => {
    expect(() => new FeatureChunkBuilder(['LeadStatus'], 2)).toThrow(
      'The scoring input view has no LeadId column',
    );
  });
});

describe('both stores’ row shapes', () => {
  it('give identical columns: SQLite epoch-ms integers and Azure SQL Date objects, NULLs alike', () => {
    const day = (d: number) => Date.UTC(2025, 9, d, 9, 30);
    // one lead as the embedded store returns it …
    const sqlite = row({
      LeadId: 42,
      CreatedDate: day(1),
      LastVisitDate: day(10),
      NextFollowUpDueDate: null,
      Visits: 3,
      PrevHealthScore: 61,
    });
    // … and as mssql (tedious, useUTC) returns it
    const mssql = row({
      LeadId: 42,
      CreatedDate: new Date(day(1)),
      LastVisitDate: new Date(day(10)),
      NextFollowUpDueDate: null,
      Visits: 3,
      PrevHealthScore: 61,
    });
    const a = new FeatureChunkBuilder(COLUMNS, 4);
    const b = new FeatureChunkBuilder(COLUMNS, 4);
    a.add(sqlite);
    b.add(mssql);
    expect(b.finish()).toStrictEqual(a.finish());
  });
});
