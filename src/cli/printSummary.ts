import type { RunSummary } from '../job';
import type { TopLead } from '../store/sqlite/verifySqlite';

type Out = (line: string) => void;

function table(rows: readonly (readonly [string, string])[], out: Out): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out(`  ${k.padEnd(w)}  ${v}`);
}

const n = (x: number): string => x.toLocaleString('en-US');

/** The run summary as a table, the churn-risk distribution as bars. */
export function printSummary(s: RunSummary, out: Out): void {
  out('');
  out(`Run ${s.runId ?? '(dry run)'} — ${s.status}`);
  table(
    [
      ['leads read', n(s.leadsRead)],
      ['leads scored', n(s.leadsScored)],
      ['leads skipped', n(s.leadsSkipped)],
      ['rows changed', n(s.rowsChanged)],
      ['rows unchanged', n(s.rowsUnchanged)],
      ['snapshots written', n(s.snapshotsWritten)],
      ['duration', `${(s.durationMs / 1000).toFixed(2)} s`],
      ['leads/second', n(s.leadsPerSecond)],
      [
        'stages (ms)',
        Object.entries(s.stagesMs)
          .map(([k, v]) => `${k} ${Math.round(v)}`)
          .join(', '),
      ],
      ['conversion from', s.conversionSource],
    ],
    out,
  );
  out('');
  out('Churn risk');
  const total = Math.max(1, s.leadsScored);
  for (const [tier, count] of Object.entries(s.churnRisk)) {
    const pct = (100 * count) / total;
    out(
      `  ${tier.padEnd(9)} ${String(count).padStart(8)}  ${pct.toFixed(1).padStart(5)}%  ${'█'.repeat(Math.round(pct / 2))}`,
    );
  }
  out('');
  out('Follow-up status');
  out(
    `  ${Object.entries(s.followUpStatus)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(' · ')}`,
  );
}

/** The top leads by AIPriority with their recommendation message. */
export function printTopLeads(leads: readonly TopLead[], out: Out): void {
  out('');
  out(`Top ${leads.length} recommendations (by AIPriority)`);
  for (const l of leads) {
    const rec = JSON.parse(l.RecommendationJson) as { priority: string; action: string; message: string };
    out(
      `  #${String(l.LeadId).padEnd(7)} ${l.Name.padEnd(18).slice(0, 18)} prio ${String(l.AIPriority).padStart(3)}  health ${String(l.HealthScore).padStart(3)}  ${l.ChurnRisk.padEnd(8)} ${rec.action.padEnd(18)} ${rec.message}`,
    );
  }
}
