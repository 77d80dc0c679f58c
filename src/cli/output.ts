import { SingleBar, Presets } from 'cli-progress';
import type { JobLogger } from '../job';

/**
 * Where the CLI writes, as a Unix tool does: results (summaries, tables, JSON) on stdout, so that a pipe or
 * `--json` gets only them; every log line, warning and progress bar on stderr. On a terminal both streams show, in
 * order (Node writes both synchronously to a TTY).
 */
export const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** The job's log lines and the CLI's own notes, on stderr. */
export const log: JobLogger = {
  info: (m) => void process.stderr.write(`INFO:     ${m}\n`),
  warn: (m) => void process.stderr.write(`WARNING:  ${m}\n`),
  error: (m) => void process.stderr.write(`ERROR:    ${m}\n`),
};

export interface Progress {
  update(n: number): void;
  stop(): void;
}

/** A progress bar (cli-progress draws on stderr) when stderr is a terminal, nothing otherwise (pipes and CI). */
export function progress(total: number, label: string): Progress {
  if (process.stderr.isTTY !== true || total <= 0) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} leads | {eta_formatted} left`,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n) => bar.update(Math.min(n, total)), stop: () => bar.stop() };
}
