import {
  computeHealth,
  computeOverdueDays,
  DEFAULT_SCORING_CONFIG,
  parseScoringConfig,
} from '../../src/scoring';
import { daysAgo, makeBatch, NOW, type LeadRow } from '../helpers/leadFixture';

const health = (row: LeadRow, config = DEFAULT_SCORING_CONFIG): number => {
  const out = new Uint8Array(1);
  const batch = makeBatch([row]);
  const overdueDays = new Int32Array(1);
  computeOverdueDays(batch, NOW, overdueDays);
  computeHealth(batch, overdueDays, NOW, config, out);
  return out[0]!;
};

describe('computeHealth', () => {
  it('scores a lead touched now, fully engaged, with nothing overdue and a fresh stage at 100 minus unsaturated engagement', () => {
    // recency 1, engagement 1 − e^(−(1.5·4 + 4)/4) = 1 − e^(−2.5), discipline 1, stage 1
    const expected = Math.round(35 + 25 * (1 - Math.exp(-2.5)) + 25 + 15);
    expect(
      health({
        lastContactAt: NOW,
        visits30d: 4,
        completedFollowUps30d: 4,
        statusChangedAt: daysAgo(1),
        createdAt: daysAgo(10),
      }),
    ).toBe(expected);
    expect(expected).toBe(98);
  });

  it('halves the recency part every 14 days since the latest of contact, completed follow-up and visit', () => {
    // recency 0.5 (14 d), engagement 0, discipline 1 (nothing pending), stage 1 → 17.5 + 25 + 15
    const row: LeadRow = {
      lastContactAt: daysAgo(30),
      lastVisitAt: daysAgo(14),
      lastFollowUpCompletedAt: daysAgo(20),
      statusChangedAt: daysAgo(2),
    };
    expect(health(row)).toBe(Math.round(17.5 + 25 + 15));
  });

  it('falls back to the created date when the lead was never contacted, and to 0 recency with no date at all', () => {
    expect(health({ createdAt: daysAgo(14) })).toBe(Math.round(17.5 + 25 + 15)); // stage from createdAt: 14 d = grace
    // no dates: recency 0, stage unknown 0.5 → 25 + 7.5
    expect(health({})).toBe(Math.round(25 + 7.5));
  });

  it('treats contact dates in the future as contact now', () => {
    expect(health({ lastContactAt: daysAgo(-30), statusChangedAt: daysAgo(1) })).toBe(35 + 25 + 15);
  });

  it('reproduces the guide example lead: 5 days overdue and silent for 24 days is critical (32)', () => {
    const row: LeadRow = {
      createdAt: daysAgo(60),
      statusChangedAt: daysAgo(35),
      lastContactAt: daysAgo(24),
      nextFollowUpDueAt: daysAgo(5),
      pendingFollowUps: 2,
      overdueFollowUps: 2,
      completedFollowUps30d: 0,
    };
    const recency = Math.pow(0.5, 24 / 14);
    const discipline = Math.pow(0.5, 5 / 7) / 1.25;
    const stage = Math.pow(0.5, 21 / 30);
    expect(health(row)).toBe(Math.round(35 * recency + 25 * discipline + 15 * stage));
    expect(health(row)).toBe(32);
  });

  it('uses the configured weights', () => {
    const onlyRecency = parseScoringConfig({
      health: { weights: { recency: 1, engagement: 0, discipline: 0, stageAge: 0 } },
    });
    // recency alone, weight 1 of 1: 100 · 0.5^(14/14) = 50
    expect(health({ lastContactAt: daysAgo(14) }, onlyRecency)).toBe(50);
  });
});
