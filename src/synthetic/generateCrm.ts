import type { Database, Statement } from 'better-sqlite3';
import { LEAD_SOURCES, MS_PER_DAY } from '../scoring';
import { driftingLogit, type TruthShape } from './driftingTruth';
import { Prng } from './prng';

export interface GenerateCrmOptions {
  /** Active leads to create. */
  readonly leads: number;
  /** Closed (Won/Lost) leads to create besides the active ones; default 40 % of `leads`. */
  readonly closedLeads?: number;
  /** The clock the data is generated around (epoch ms). */
  readonly now: number;
  readonly seed?: number;
  /** Mean follow-ups per lead (default 5) and visits per lead (default 3). */
  readonly followUpsPerLead?: number;
  readonly visitsPerLead?: number;
  /**
   * How the true probability depends on the history: `linear` (the default, in the model's own log shapes) or
   * `nonlinear-drifting` (saturating, threshold and middle-best effects, and conversion rates that fall over time:
   * see driftingTruth.ts). The draws are the same; only the outcome's probability differs.
   */
  readonly truth?: TruthShape;
  /** Called every 10,000 leads with the number written so far. */
  readonly onProgress?: (written: number, total: number) => void;
}

export interface GenerateCrmResult {
  readonly leads: number;
  readonly closedLeads: number;
  readonly followUps: number;
  readonly visits: number;
}

const ACTIVE = ['New', 'Contacted', 'Qualified', 'Negotiation'] as const;
// the named sources of the core's enum (without 'unknown' and 'other')
const SOURCES = LEAD_SOURCES.slice(1, -1);
const SOURCE_WEIGHTS = [30, 12, 10, 8, 12, 10, 10, 8];
const SOURCE_EFFECT = [0, 0.6, 0.2, 0.4, -0.1, -0.2, -0.5, -0.3];
const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kira',
  'Luis',
];
const LAST = ['Smith', 'Garcia', 'Chen', 'Patel', 'Müller', 'Okafor', 'Rossi', 'Kim', 'Novak', 'Silva'];

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

interface CrmStatements {
  readonly insLead: Statement;
  readonly insFu: Statement;
  readonly insVisit: Statement;
  readonly insTruth: Statement;
}

/** What writing one lead needs: the generator, the clock, the means, and the prepared inserts. */
interface CrmWriter {
  readonly r: Prng;
  readonly now: number;
  readonly activeLeads: number;
  readonly fuMean: number;
  readonly visitMean: number;
  readonly truth: TruthShape;
  readonly st: CrmStatements;
}

function prepareCrmStatements(db: Database): CrmStatements {
  db.exec(`CREATE TABLE IF NOT EXISTS synthetic_truth (
    LeadId INTEGER PRIMARY KEY, Intent REAL NOT NULL, TrueProbability REAL NOT NULL, Outcome INTEGER NULL)`);
  return {
    insLead: db.prepare(`INSERT INTO lead (FirstName, LastName, Company, Email, LeadStatus, LeadSource,
    EstimatedValue, OwnerUserId, CreatedDate, StatusChangedDate, LastContactDate, ClosedDate, ModifiedDate)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insFu: db.prepare(
      `INSERT INTO FollowUps (LeadId, DueDate, Status, CompletedDate, CreatedDate) VALUES (?, ?, ?, ?, ?)`,
    ),
    insVisit: db.prepare(`INSERT INTO Visit (LeadId, VisitDate, Outcome) VALUES (?, ?, ?)`),
    insTruth: db.prepare(
      `INSERT INTO synthetic_truth (LeadId, Intent, TrueProbability, Outcome) VALUES (?, ?, ?, ?)`,
    ),
  };
}

/** A lead's follow-ups: more and better kept for engaged leads. `lastActivity` is the latest completion (NaN: none). */
function drawFollowUps(
  r: Prng,
  mean: number,
  engaged: number,
  created: number,
  end: number,
): { fus: [number, string, number | null][]; completed: number; lastActivity: number } {
  let lastActivity = NaN;
  let completed = 0;
  const nFu = r.poisson(mean * (0.6 + 0.8 * engaged));
  const fus: [number, string, number | null][] = [];
  for (let j = 0; j < nFu; j++) {
    // past follow-ups over the lead's life, mostly kept (better by engaged leads); a few already planned ahead
    const upcoming = r.next() < 0.15 + 0.15 * engaged;
    const due = upcoming ? end + r.next() * 21 * MS_PER_DAY : created + r.next() * (end - created);
    const roll = r.next();
    if (upcoming) fus.push([due, 'Pending', null]);
    else if (roll < 0.82 + 0.16 * engaged) {
      const done = Math.min(end, due + r.next() * 3 * MS_PER_DAY);
      fus.push([due, 'Completed', done]);
      completed++;
      if (!(done <= lastActivity)) lastActivity = done;
    } else if (roll < 0.86 + 0.12 * engaged) fus.push([due, 'Cancelled', null]);
    else fus.push([due, 'Pending', null]); // overdue
  }
  return { fus, completed, lastActivity };
}

/** A lead's visits: engaged leads were visited recently, others long ago. Returns the latest activity too. */
function drawVisits(
  r: Prng,
  mean: number,
  engaged: number,
  ageDays: number,
  end: number,
  lastActivity: number,
): { vis: [number, string][]; lastActivity: number } {
  const nVisits = r.poisson(mean * (0.4 + 1.2 * engaged));
  const vis: [number, string][] = [];
  for (let j = 0; j < nVisits; j++) {
    const back = Math.min(ageDays, r.next() * (20 + 160 * (1 - engaged))) * MS_PER_DAY;
    const when = end - back;
    vis.push([when, r.next() < 0.7 ? 'Positive' : 'Neutral']);
    if (!(when <= lastActivity)) lastActivity = when;
  }
  return { vis, lastActivity };
}

/**
 * The true win probability. The outcome depends on the lead's history only through what the CRM records by the close
 * date (through the hidden intent driving that history), in the shapes the model uses: so a good learner can reach
 * the oracle.
 */
function trueProbability(h: {
  readonly truth: TruthShape;
  readonly now: number;
  readonly end: number;
  readonly lastActivity: number;
  readonly lastContact: number | null;
  readonly completed: number;
  readonly fus: readonly [number, string, number | null][];
  readonly vis: readonly [number, string][];
  readonly source: number;
  readonly value: number | null;
}): number {
  const { end, lastContact, completed, fus, vis, source, value } = h;
  let lastSeen = h.lastActivity;
  if (lastContact !== null && !(lastContact <= lastSeen)) lastSeen = lastContact;
  const daysSince = lastSeen === lastSeen ? Math.max(0, end - lastSeen) / MS_PER_DAY : 60;
  const visits30 = vis.filter(([when]) => when > end - 30 * MS_PER_DAY).length;
  let firstPendingDue = NaN;
  for (const [due, st] of fus) if (st === 'Pending' && !(due >= firstPendingDue)) firstPendingDue = due;
  const overdue =
    firstPendingDue === firstPendingDue
      ? Math.max(0, Math.floor(end / MS_PER_DAY) - Math.floor(firstPendingDue / MS_PER_DAY))
      : 0;
  if (h.truth === 'nonlinear-drifting') {
    const z = driftingLogit({
      completed,
      visits30,
      daysSince,
      overdue,
      value,
      daysAgo: (h.now - end) / MS_PER_DAY,
    });
    return sigmoid(z + (SOURCE_EFFECT[source] ?? 0));
  }
  return sigmoid(
    -0.6 +
      0.7 * Math.log1p(completed) +
      0.5 * Math.log1p(visits30) -
      0.45 * Math.log1p(daysSince) -
      0.35 * Math.log1p(overdue) +
      (SOURCE_EFFECT[source] ?? 0) +
      (value === null ? -0.1 : 0.25 * (Math.log1p(value) - 8.5)),
  );
}

/** Draws and writes lead number `k` (active below `activeLeads`, closed from there) with its history. */
function writeOne(w: CrmWriter, k: number): { followUps: number; visits: number } {
  const { r, now, st } = w;
  const isClosed = k >= w.activeLeads;
  const intent = r.normal();
  const engaged = sigmoid(intent); // 0..1: how responsive this lead is
  const source = r.pick(SOURCE_WEIGHTS);
  const stage = Math.min(3, Math.max(0, Math.floor(r.next() * 2.2 + engaged * 2.3 - 0.5)));
  const ageDays = 1 + r.next() * 364;
  // closed leads ended some time ago; their activity is relative to the close date
  const end = isClosed ? now - r.next() * 180 * MS_PER_DAY : now;
  const created = end - ageDays * MS_PER_DAY;
  const statusChanged = created + r.next() * (end - created);
  const value = r.next() < 0.8 ? Math.round(Math.exp(8.5 + 1.2 * r.normal() + 0.3 * intent)) : null;
  const { fus, completed, lastActivity: afterFus } = drawFollowUps(r, w.fuMean, engaged, created, end);
  const { vis, lastActivity } = drawVisits(r, w.visitMean, engaged, ageDays, end, afterFus);
  const lastContact =
    r.next() < 0.92
      ? lastActivity === lastActivity
        ? lastActivity
        : created + r.next() * (end - created)
      : null;
  const trueP = trueProbability({
    truth: w.truth,
    now,
    end,
    lastActivity,
    lastContact,
    completed,
    fus,
    vis,
    source,
    value,
  });
  let status: string = ACTIVE[stage]!;
  let outcome: number | null = null;
  if (isClosed) {
    outcome = r.next() < trueP ? 1 : 0;
    status = outcome ? 'Won' : 'Lost';
  }
  const first = FIRST[r.int(0, FIRST.length - 1)]!;
  const last = LAST[r.int(0, LAST.length - 1)]!;
  const email = `${first.toLowerCase()}.${last.toLowerCase()}.${k}@example.com`;
  const info = st.insLead.run(
    first,
    last,
    `${last} ${['GmbH', 'Ltd', 'Inc', 'SA', 'BV'][r.int(0, 4)]}`,
    email,
    status,
    SOURCES[source],
    value,
    r.int(1, 25),
    Math.round(created),
    Math.round(statusChanged),
    lastContact === null ? null : Math.round(lastContact),
    isClosed ? Math.round(end) : null,
    Math.round(end),
  );
  const leadId = Number(info.lastInsertRowid);
  for (const [due, fs, done] of fus)
    st.insFu.run(leadId, Math.round(due), fs, done === null ? null : Math.round(done), Math.round(created));
  for (const [when, outcomeText] of vis) st.insVisit.run(leadId, Math.round(when), outcomeText);
  st.insTruth.run(leadId, intent, trueP, outcome);
  return { followUps: fus.length, visits: vis.length };
}

/**
 * Seeds a realistic synthetic CRM into an embedded database that has migrations 000–002 applied: active leads with
 * follow-ups (completed, pending, overdue, cancelled) and visits whose volume and recency follow a hidden per-lead
 * intent, plus closed Won/Lost history whose outcome is drawn from a known true probability. The true probability is
 * stored in `synthetic_truth` so model quality can be measured against the oracle. Same seed → same database.
 */
export function generateCrm(db: Database, options: GenerateCrmOptions): GenerateCrmResult {
  const closed = options.closedLeads ?? Math.round(options.leads * 0.4);
  const w: CrmWriter = {
    r: new Prng(options.seed ?? 20251014),
    now: options.now,
    activeLeads: options.leads,
    fuMean: options.followUpsPerLead ?? 5,
    visitMean: options.visitsPerLead ?? 3,
    truth: options.truth ?? 'linear',
    st: prepareCrmStatements(db),
  };
  const total = options.leads + closed;
  let followUps = 0;
  let visits = 0;
  const chunk = 10_000;
  const writeChunk = db.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const n = writeOne(w, k);
      followUps += n.followUps;
      visits += n.visits;
    }
  });
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(total, from + chunk);
    writeChunk(from, to);
    options.onProgress?.(to, total);
  }
  return { leads: options.leads, closedLeads: closed, followUps, visits };
}
