import {
  backoffMs,
  DEFAULT_RETRY,
  isTransient,
  sqlNumberOf,
  withRetry,
} from '../../../src/store/mssql/retry';

const sqlError = (number: number) =>
  Object.assign(new Error(`SQL error ${number}`), { number, code: 'EREQUEST' });

describe('isTransient', () => {
  it.each([1205, 4060, 10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920, 51001])(
    'retries SQL error %i',
    (n) => {
      expect(isTransient(sqlError(n))).toBe(true);
    },
  );
  it('retries when a transient error precedes the one mssql reports last (51001, then 266)', () => {
    expect(isTransient(Object.assign(sqlError(266), { precedingErrors: [sqlError(51001)] }))).toBe(true);
    expect(isTransient(Object.assign(sqlError(266), { precedingErrors: [sqlError(547)] }))).toBe(false);
  });
  it.each(['ESOCKET', 'ECONNRESET', 'ECONNCLOSED', 'ETIMEOUT'])('retries a %s connection fault', (code) => {
    expect(isTransient(Object.assign(new Error(code), { code }))).toBe(true);
  });
  it('does not retry data or permission errors, and reads the number of a wrapped error', () => {
    expect(isTransient(sqlError(2627))).toBe(false); // duplicate key
    expect(isTransient(sqlError(229))).toBe(false); // permission denied
    expect(isTransient(new Error('bug'))).toBe(false);
    expect(sqlNumberOf({ originalError: { info: { number: 40501 } } })).toBe(40501);
    expect(isTransient({ originalError: { info: { number: 40501 } } })).toBe(true);
  });
});

describe('backoffMs', () => {
  it('is full jitter under an exponential ceiling capped at capMs', () => {
    const policy = { attempts: 5, baseMs: 500, capMs: 20_000 };
    // ⌊r · min(20,000, 500 · 2^a)⌋ with r = 0.999999: ceilings 500, 1,000, 2,000, 4,000 and (2^10 · 500 capped)
    // 20,000, each less 1 after the floor (500 · 0.999999 = 499.9995 → 499); r = 0 → 0; r = ½ at a = 2 → 2,000 / 2
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a, policy, () => 0.999999))).toStrictEqual([
      499, 999, 1999, 3999, 19_999,
    ]);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
    expect(backoffMs(2, policy, () => 0.5)).toBe(1000);
  });
});

describe('withRetry', () => {
  it('retries transient errors with the computed delays, then succeeds on a fresh call', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      (attempt) => {
        calls++;
        if (attempt < 2) return Promise.reject(sqlError(40613));
        return Promise.resolve('ok');
      },
      { ...DEFAULT_RETRY, random: () => 0.5, sleep: (ms) => (delays.push(ms), Promise.resolve()) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    // DEFAULT_RETRY's base 500 ms, r = ½: ⌊½ · 500 · 2^0⌋ = 250 after attempt 0, ⌊½ · 500 · 2^1⌋ = 500 after attempt 1
    expect(delays).toStrictEqual([250, 500]);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(() => (calls++, Promise.reject(sqlError(1205))), {
        attempts: 3,
        baseMs: 1,
        capMs: 1,
        sleep: () => Promise.resolve(),
      }),
    ).rejects.toMatchObject({ number: 1205 });
    expect(calls).toBe(3);
  });

  it('does not retry a non-transient error', async () => {
    let calls = 0;
    await expect(
      withRetry(() => (calls++, Promise.reject(sqlError(2627))), {
        ...DEFAULT_RETRY,
        sleep: () => Promise.resolve(),
      }),
    ).rejects.toMatchObject({
      number: 2627,
    });
    expect(calls).toBe(1);
  });
});
