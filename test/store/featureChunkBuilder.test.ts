import { runScoringJob } from '../../src/job';
import { DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import {
  FeatureChunkBuilder,
  PLAUSIBLE_DATE_MS,
  toEpochMs,
  VIEW_COLUMNS,
} from '../../src/store/featureChunkBuilder';
import { NO_DATA_ISSUES } from '../../src/store/leadStore';
import { tempStore } from '../helpers/tempStore';

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
    expect(issues).toStrictEqual(NO_DATA_ISSUES);
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
      ...NO_DATA_ISSUES,
      skippedRows: 2,
      invalidDates: 2,
      unknownStatuses: 1,
      invalidCounts: 3,
      invalidNumbers: 2,
    });
  });

  it('reads text dates, even ISO 8601, as missing and counts them apart from garbage', () => {
    const b = new FeatureChunkBuilder(COLUMNS, 10);
    b.add(row({ LeadId: 1, CreatedDate: '2025-10-14', LastContactDate: '2025-10-14T09:30:00Z' }));
    b.add(row({ LeadId: 2, CreatedDate: 'last tuesday' }));
    const { features, issues } = b.finish();
    expect(features.createdAt).toStrictEqual(Float64Array.of(NaN, NaN));
    expect(features.lastContactAt).toStrictEqual(Float64Array.of(NaN, NaN));
    expect(issues).toStrictEqual({ ...NO_DATA_ISSUES, textDates: 2, invalidDates: 1 });
  });

  it('reads numbers that are dates only in epoch seconds or microseconds as missing, each counted', () => {
    // 2025-10-14T09:30:00Z is 1,760,434,200 s = 1,760,434,200,000 ms = 1,760,434,200,000,000 µs (date -d @1760434200)
    const b = new FeatureChunkBuilder(COLUMNS, 10);
    b.add(row({ LeadId: 1, CreatedDate: 1_760_434_200, LastContactDate: 1_760_434_200_000_000 }));
    b.add(row({ LeadId: 2, CreatedDate: 1_760_434_200_000, LastVisitDate: BigInt(1_760_434_200) }));
    const { features, issues } = b.finish();
    expect(features.createdAt).toStrictEqual(Float64Array.of(NaN, 1_760_434_200_000));
    expect(features.lastContactAt).toStrictEqual(Float64Array.of(NaN, NaN));
    expect(features.lastVisitAt).toStrictEqual(Float64Array.of(NaN, NaN));
    expect(issues).toStrictEqual({ ...NO_DATA_ISSUES, epochSecondsDates: 2, epochMicrosDates: 1 });
  });

  it('draws the plausible range at 1980-01-01 and 2100-01-01 UTC, and leaves other odd dates to the core', () => {
    // 315,532,800,000 ms = 1980-01-01T00:00:00Z and 4,102,444,800,000 ms = 2100-01-01T00:00:00Z (date -d @315532800, @4102444800)
    expect(PLAUSIBLE_DATE_MS).toStrictEqual({ from: 315_532_800_000, to: 4_102_444_800_000 });
    const b = new FeatureChunkBuilder(COLUMNS, 10);
    const yearFive = -62_000_000_000_000; // neither ms, s nor µs of a plausible date: kept (OverdueDays caps it)
    b.add(row({ LeadId: 1, CreatedDate: 315_532_800_000, LastContactDate: 4_102_444_799_999 }));
    b.add(row({ LeadId: 2, CreatedDate: 315_532_800, LastContactDate: 4_102_444_799 })); // the bounds in seconds
    b.add(row({ LeadId: 3, CreatedDate: yearFive, LastContactDate: 0 }));
    b.add(row({ LeadId: 4, CreatedDate: new Date(Date.UTC(1900, 0, 1)) })); // a date type is never in the wrong unit
    const { features, issues } = b.finish();
    expect(features.createdAt).toStrictEqual(
      Float64Array.of(315_532_800_000, NaN, yearFive, Date.UTC(1900, 0, 1)),
    );
    expect(features.lastContactAt).toStrictEqual(Float64Array.of(4_102_444_799_999, NaN, 0, NaN));
    expect(issues).toStrictEqual({ ...NO_DATA_ISSUES, epochSecondsDates: 2 });
  });

  it('counts nothing but the skip for a row without a usable id, wherever its LeadId column is', () => {
    const columns = ['CreatedDate', 'Industry', ...COLUMNS.filter((c) => c !== 'CreatedDate')];
    const b = new FeatureChunkBuilder(columns, 10);
    const bad = (id: unknown): unknown[] => ['not a date', 'Retail', id, ...row().slice(2)];
    expect(b.add(bad(null))).toBe(false);
    expect(b.add(bad(2 ** 31))).toBe(false);
    expect(b.length).toBe(2);
    const chunk = b.finish();
    expect(chunk.features.leadId).toStrictEqual(new Int32Array(0));
    expect(chunk.extras).toStrictEqual({ Industry: [] });
    expect(chunk.issues).toStrictEqual({ ...NO_DATA_ISSUES, skippedRows: 2 });
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
    const fromSqlite = a.finish();
    const fromMssql = b.finish();
    expect(fromMssql).toStrictEqual(fromSqlite);
    // and what both read is the lead as written above, not merely the same mistake twice: status codes run unknown 0,
    // New 1, Contacted 2, Qualified 3; sources unknown 0, Website 1, Referral 2; dates in epoch ms; NULL → NaN
    for (const f of [fromSqlite.features, fromMssql.features]) {
      expect(f.leadId).toStrictEqual(Int32Array.of(42));
      expect([f.status[0], f.source[0]]).toStrictEqual([3, 2]);
      expect(f.createdAt).toStrictEqual(Float64Array.of(Date.UTC(2025, 9, 1, 9, 30)));
      expect(f.lastVisitAt).toStrictEqual(Float64Array.of(Date.UTC(2025, 9, 10, 9, 30)));
      expect(f.nextFollowUpDueAt).toStrictEqual(Float64Array.of(NaN));
      expect([f.visits[0], f.pendingFollowUps[0], f.prevHealth[0], f.estimatedValue[0]]).toStrictEqual([
        3, 2, 61, 1000,
      ]);
    }
  });
});

describe('a chunk of only unusable ids', () => {
  it('keeps its issue counts through the embedded store into the run summary', async () => {
    const t = tempStore();
    try {
      const now = Date.UTC(2025, 9, 14, 9, 30);
      const ins = t.store.connection.prepare(
        `INSERT INTO lead (LeadId, LeadStatus, LeadSource, CreatedDate) VALUES (?, 'New', 'Website', ?)`,
      );
      ins.run(3_000_000_000, now - 86_400_000); // beyond Int32: the core cannot key it
      ins.run(-7, now - 86_400_000);
      const summary = await runScoringJob({
        store: t.store,
        now,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 100,
        trigger: 'cli',
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      });
      expect(summary).toMatchObject({ status: 'succeeded', leadsScored: 0, leadsSkipped: 2 });
      expect(summary.dataIssues).toStrictEqual({ ...NO_DATA_ISSUES, skippedRows: 2 });
    } finally {
      await t.cleanup();
    }
  });
});
