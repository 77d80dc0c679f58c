import { InputError } from '../../../src/errors';
import { cholesky, choleskySolve } from '../../../src/scoring/model/linearAlgebra';
import { Prng } from '../../../src/synthetic/prng';

/** XᵀX (lower triangle, row-major) of a random m×p X: positive definite for m > p. */
function gram(p: number, m: number, r: Prng): Float64Array {
  const x = Float64Array.from({ length: m * p }, () => r.normal());
  const a = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) for (let k = 0; k < m; k++) a[i * p + j]! += x[k * p + i]! * x[k * p + j]!;
  return a;
}

describe('cholesky (two rows and two columns at a time)', () => {
  it.each([1, 2, 3, 4, 5, 8, 9, 31, 64])('L·Lᵀ is A + λ off the intercept, and solves, for p = %i', (p) => {
    const r = new Prng(p);
    const a = gram(p, p + 5, r);
    const l = cholesky(a, p, 0.5);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += l[i * p + k]! * l[j * p + k]!;
        const want = a[i * p + j]! + (i === j && i > 0 ? 0.5 : 0);
        expect(Math.abs(s - want)).toBeLessThan(1e-9 * (1 + Math.abs(want)));
      }
      for (let j = i + 1; j < p; j++) expect(l[i * p + j]).toBe(0);
    }
    const b = Float64Array.from({ length: p }, () => r.normal());
    const x = choleskySolve(l, b, p);
    for (let i = 0; i < p; i++) {
      let s = (i > 0 ? 0.5 : 0) * x[i]!;
      for (let j = 0; j < p; j++) s += a[Math.max(i, j) * p + Math.min(i, j)]! * x[j]!;
      expect(Math.abs(s - b[i]!)).toBeLessThan(1e-8 * (1 + Math.abs(b[i]!)));
    }
  });

  it('refuses a singular matrix, naming the dependent column (in a pair of rows, second of them too)', () => {
    for (const dup of [4, 5]) {
      // column `dup` repeats column 1: without a penalty the pivot vanishes there
      const p = 7;
      const r = new Prng(dup);
      const m = 20;
      const x = Float64Array.from({ length: m * p }, () => r.normal());
      for (let k = 0; k < m; k++) x[k * p + dup] = x[k * p + 1]!;
      const a = new Float64Array(p * p);
      for (let i = 0; i < p; i++)
        for (let j = 0; j <= i; j++)
          for (let k = 0; k < m; k++) a[i * p + j]! += x[k * p + i]! * x[k * p + j]!;
      expect(() => cholesky(a, p, 0)).toThrow(InputError);
      expect(() => cholesky(a, p, 0)).toThrow(`column ${dup} is a linear combination`);
      expect(() => cholesky(a, p, 1e-3)).not.toThrow();
    }
  });
});
