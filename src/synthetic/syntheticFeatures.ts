import { allocateLeadFeatures, MS_PER_DAY, type LeadFeatureBatch } from '../scoring';
import { Prng } from './prng';

/**
 * An in-memory feature batch of `n` plausible active leads, for the scoring benchmark (no database involved).
 * Same seed → same batch.
 */
export function syntheticFeatures(n: number, now: number, seed = 42): LeadFeatureBatch {
  const r = new Prng(seed);
  const b = allocateLeadFeatures(n);
  for (let i = 0; i < n; i++) {
    b.leadId[i] = i + 1;
    b.status[i] = r.int(1, 4);
    b.source[i] = r.int(0, 9);
    const age = r.int(1, 400);
    b.createdAt[i] = now - age * MS_PER_DAY;
    b.statusChangedAt[i] = now - r.int(0, age) * MS_PER_DAY;
    if (r.next() < 0.9) b.lastContactAt[i] = now - r.next() * Math.min(age, 90) * MS_PER_DAY;
    if (r.next() < 0.7) b.lastFollowUpCompletedAt[i] = now - r.next() * 60 * MS_PER_DAY;
    if (r.next() < 0.6) b.lastVisitAt[i] = now - r.next() * 60 * MS_PER_DAY;
    const pending = r.int(0, 3);
    b.pendingFollowUps[i] = pending;
    if (pending > 0) {
      b.nextFollowUpDueAt[i] = now + (r.next() * 30 - 12) * MS_PER_DAY;
      b.overdueFollowUps[i] = b.nextFollowUpDueAt[i]! < now ? r.int(1, pending) : 0;
    }
    const c30 = r.int(0, 6);
    const c7 = r.int(0, c30);
    b.completedFollowUps30d[i] = c30;
    b.completedFollowUps7d[i] = c7;
    b.completedFollowUps[i] = c30 + r.int(0, 10);
    const v30 = r.int(0, 4);
    b.visits30d[i] = v30;
    b.visits7d[i] = r.int(0, v30);
    b.visits[i] = v30 + r.int(0, 6);
    if (r.next() < 0.7) b.estimatedValue[i] = Math.round(Math.exp(8 + 2 * r.next()));
    if (r.next() < 0.8) {
      b.prevHealth[i] = r.int(10, 95);
      b.prevActivity7d[i] = r.int(0, 6);
    }
  }
  return b;
}
