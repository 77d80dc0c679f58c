import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files of the built board (scripts/buildBoard.js): the only names the board serves, with their types. */
export const BOARD_FILES: Readonly<Record<string, string>> = Object.freeze({
  'index.html': 'text/html; charset=utf-8',
  'board.js': 'text/javascript; charset=utf-8',
  'board.css': 'text/css; charset=utf-8',
});

export interface BoardAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * Where the built board is: `web/` next to the Azure package's bundle (main.js), or `dist/web/` of the repository
 * for the tsc build (dist/src/board/) and for the sources run by ts-jest (src/board/).
 */
export function defaultBoardDir(): string | null {
  const candidates = [
    join(__dirname, 'web'),
    join(__dirname, '..', '..', 'web'),
    join(__dirname, '..', '..', 'dist', 'web'),
  ];
  return candidates.find((d) => existsSync(join(d, 'board.js'))) ?? null;
}

/** Reads the board's files once (they are small), or returns null when the board was not built. */
export function loadBoardAssets(
  dir: string | null = defaultBoardDir(),
): ReadonlyMap<string, BoardAsset> | null {
  if (dir === null) return null;
  const assets = new Map<string, BoardAsset>();
  for (const [name, contentType] of Object.entries(BOARD_FILES)) {
    const file = join(dir, name);
    if (!existsSync(file)) return null;
    assets.set(name, { body: readFileSync(file), contentType });
  }
  return assets;
}
