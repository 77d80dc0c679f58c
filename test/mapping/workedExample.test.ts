import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScoringJob, type JobLogger } from '../../src/job';
import { DEFAULT_MODEL_POLICY } from '../../src/job/prepareModel';
import { loadCrmMapping, parseCrmMapping, SCORE_COLUMNS } from '../../src/mapping';
import { DEFAULT_SCORING_CONFIG } from '../../src/scoring';
import { SqliteLeadStore } from '../../src/store/sqlite/sqliteLeadStore';
import { generateCrm } from '../../src/synthetic/generateCrm';
import { tempStore } from '../helpers/tempStore';

/**
 * docs/azure-sql.md's worked example, end to end on the embedded store: a CRM whose tables, columns and statuses are
 * named differently (crm.Leads(Id, Stage, …), crm.Tasks, crm.Meetings; "Closed Won", "closed lost ", …) is scored
 * exactly like the same data under the guide's names, its closed leads train the model and are not scored, and no
 * CRM column but the nine score columns changes.
 */

const NOW = Date.UTC(2025, 9, 14, 9, 30);
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const EXAMPLE_FILE = join(__dirname, '..', '..', 'examples', 'crm-mapping.example.json');
const example = loadCrmMapping(EXAMPLE_FILE);

/** The guide's statuses → the example CRM's, with odd spacing and case on purpose (matched trimmed, case-insensitive). */
const LEAD_STATUS: Record<string, string> = {
  New: 'Open',
  Contacted: 'working',
  Qualified: ' Qualified ',
  Negotiation: 'Proposal',
  Won: 'Closed Won',
  Lost: 'closed lost ',
  Disqualified: 'DISQUALIFIED',
};
const TASK_STATE: Record<string, string> = { Pending: 'open', Completed: 'Done' };

/** The example CRM's own tables (not created by any migration), filled from a guide-named database. */
function copyIntoExampleCrm(from: Database.Database, path: string): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE Leads (Id INTEGER PRIMARY KEY, GivenName TEXT, FamilyName TEXT, AccountName TEXT, Email TEXT,
      Stage TEXT, Source TEXT, Amount REAL, OwnerId INTEGER, CreatedOn INTEGER NOT NULL, StageChangedOn INTEGER,
      LastTouchOn INTEGER, ClosedOn INTEGER, Industry TEXT, InternalNotes TEXT);
    CREATE TABLE Tasks (TaskId INTEGER PRIMARY KEY, LeadRef INTEGER NOT NULL, DueOn INTEGER, State TEXT NOT NULL,
      DoneOn INTEGER, CreatedOn INTEGER NOT NULL);
    CREATE TABLE Meetings (MeetingId INTEGER PRIMARY KEY, LeadRef INTEGER NOT NULL, HeldOn INTEGER NOT NULL);`);
  const lead = db.prepare(`INSERT INTO Leads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const task = db.prepare(`INSERT INTO Tasks VALUES (?, ?, ?, ?, ?, ?)`);
  const meeting = db.prepare(`INSERT INTO Meetings VALUES (?, ?, ?)`);
  db.transaction(() => {
    for (const r of from.prepare('SELECT * FROM lead').all() as Record<string, unknown>[])
      lead.run(
        r.LeadId,
        r.FirstName,
        r.LastName,
        r.Company,
        r.Email,
        LEAD_STATUS[r.LeadStatus as string] ?? r.LeadStatus,
        r.LeadSource,
        r.EstimatedValue,
        r.OwnerUserId,
        r.CreatedDate,
        r.StatusChangedDate,
        r.LastContactDate,
        r.ClosedDate,
        'Software',
        `notes of ${String(r.LeadId)}`,
      );
    for (const r of from.prepare('SELECT * FROM FollowUps').all() as Record<string, unknown>[])
      task.run(
        r.FollowUpId,
        r.LeadId,
        r.DueDate,
        TASK_STATE[r.Status as string] ?? r.Status,
        r.CompletedDate,
        r.CreatedDate,
      );
    for (const r of from.prepare('SELECT * FROM Visit').all() as Record<string, unknown>[])
      meeting.run(r.VisitId, r.LeadId, r.VisitDate);
  })();
  db.close();
}

const scoresOf = (db: Database.Database, table: string, key: string): unknown[] =>
  db
    .prepare(
      `SELECT ${key} AS LeadId, ${SCORE_COLUMNS.join(', ')} FROM ${table} WHERE HealthScore IS NOT NULL ORDER BY 1`,
    )
    .all();

describe('the worked example: a CRM with other names', () => {
  it('is scored exactly like the guide-named copy of its data, trains on its renamed closed statuses, and changes only the score columns', async () => {
    const guide = tempStore();
    const examplePath = join(guide.dir, 'example.db');
    try {
      generateCrm(guide.store.connection, { leads: 400, closedLeads: 400, now: NOW, seed: 11 });
      copyIntoExampleCrm(guide.store.connection, examplePath);
      // the example mapping without its extra model column: then both databases hold the same information
      const json = JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8')) as { lead: { extras?: unknown } };
      delete json.lead.extras;
      const mapping = parseCrmMapping(json, 'the worked example without extras');
      const store = SqliteLeadStore.open(examplePath, { migrate: { mapping } });
      const raw = store.connection;
      const otherColumns = `Id, GivenName, FamilyName, AccountName, Email, Stage, Source, Amount, OwnerId, CreatedOn, StageChangedOn, LastTouchOn, ClosedOn, Industry, InternalNotes`;
      const before = raw.prepare(`SELECT ${otherColumns} FROM Leads ORDER BY Id`).all();
      try {
        const run = (s: SqliteLeadStore) =>
          runScoringJob({
            store: s,
            now: NOW,
            scoring: DEFAULT_SCORING_CONFIG,
            chunkSize: 128,
            trigger: 'cli',
            log: quiet,
            model: DEFAULT_MODEL_POLICY,
          });
        const a = await run(guide.store);
        const b = await run(store);
        expect(b.leadsScored).toBe(400);
        expect(b.leadsScored).toBe(a.leadsScored);
        expect(b.dataIssues.unknownStatuses).toBe(0);
        expect(b.conversionSource).toBe('model');
        expect(scoresOf(raw, 'Leads', 'Id')).toStrictEqual(
          scoresOf(guide.store.connection, 'lead', 'LeadId'),
        );
        // closed leads: not scored, trained on
        expect(
          raw
            .prepare(`SELECT COUNT(*) AS n FROM Leads WHERE ClosedOn IS NOT NULL AND HealthScore IS NOT NULL`)
            .get(),
        ).toStrictEqual({ n: 0 });
        const models = (db: Database.Database) =>
          db.prepare('SELECT Won, Lost, Published FROM lead_scoring_models').all();
        expect(models(raw)).toStrictEqual(models(guide.store.connection));
        expect((models(raw)[0] as { Won: number }).Won).toBeGreaterThan(40);
        // nothing but the nine score columns changed
        expect(raw.prepare(`SELECT ${otherColumns} FROM Leads ORDER BY Id`).all()).toStrictEqual(before);
        // the leads API lists the active leads, filtering by the CRM's own status text in any case
        const page = await store.queryLeads({ sort: 'priority', limit: 500, status: ['WORKING'] });
        expect(page.leads.length).toBeGreaterThan(0);
        expect(page.leads.every((l) => l.status === 'working')).toBe(true);
        const all = await store.queryLeads({ sort: 'priority', limit: 500 });
        expect(all.aggregates.count).toBe(400);
      } finally {
        await store.close();
      }
    } finally {
      await guide.cleanup();
    }
  });

  it("carries the mapping's extra lead column to the model as a feature", async () => {
    const guide = tempStore();
    const examplePath = join(guide.dir, 'example.db');
    try {
      generateCrm(guide.store.connection, { leads: 50, closedLeads: 200, now: NOW, seed: 3 });
      copyIntoExampleCrm(guide.store.connection, examplePath);
      const store = SqliteLeadStore.open(examplePath, { migrate: { mapping: example } });
      try {
        const cols = (v: string) =>
          (
            store.connection.prepare(`SELECT name FROM pragma_table_info(?)`).all(v) as { name: string }[]
          ).map((c) => c.name);
        expect(cols('v_lead_scoring_input')).toContain('Industry');
        expect(cols('v_lead_training_input')).toContain('Industry');
      } finally {
        await store.close();
      }
    } finally {
      await guide.cleanup();
    }
  });
});

describe('status matching', () => {
  it('treats WON, won, " Lost" and "Disqualified " as the closed statuses they are: not scored, trained on', async () => {
    const t = tempStore();
    try {
      generateCrm(t.store.connection, { leads: 100, closedLeads: 120, now: NOW, seed: 5 });
      const db = t.store.connection;
      const closed = db
        .prepare(`SELECT LeadId, LeadStatus FROM lead WHERE ClosedDate IS NOT NULL ORDER BY LeadId`)
        .all() as {
        LeadId: number;
        LeadStatus: string;
      }[];
      const odd = ['WON', 'won', ' Lost', 'Disqualified '];
      closed
        .slice(0, 4)
        .forEach((r, i) =>
          db.prepare('UPDATE lead SET LeadStatus = ? WHERE LeadId = ?').run(odd[i], r.LeadId),
        );
      const s = await runScoringJob({
        store: t.store,
        now: NOW,
        scoring: DEFAULT_SCORING_CONFIG,
        chunkSize: 64,
        trigger: 'cli',
        log: quiet,
        model: { ...DEFAULT_MODEL_POLICY, minWon: 10, minLost: 10 },
      });
      expect(s.leadsScored).toBe(100);
      expect(
        db
          .prepare(`SELECT COUNT(*) AS n FROM lead WHERE ClosedDate IS NOT NULL AND HealthScore IS NOT NULL`)
          .get(),
      ).toStrictEqual({ n: 0 });
      const trained = db.prepare('SELECT Won + Lost AS n FROM lead_scoring_models').get() as { n: number };
      expect(trained.n).toBe(closed.length);
    } finally {
      await t.cleanup();
    }
  });
});
