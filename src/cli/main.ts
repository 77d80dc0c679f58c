#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isLeadIntelError } from '../errors';
import { backtestCommand } from './commands/backtest';
import { demoCommand } from './commands/demo';
import { migrateCommand } from './commands/migrate';
import { runCommand } from './commands/run';
import { seedCommand } from './commands/seed';
import { serveCommand } from './commands/serve';
import { watchCommand } from './commands/watch';
import { EXIT, exitCodeOf } from './exitCodes';

/** The `lead-intel` program: one file per command under ./commands, wired here. */
export function buildProgram(): Command {
  const program = new Command('lead-intel')
    .description(
      'Lead Intelligence: scores every active lead of a SQL Server / Azure SQL CRM (embedded SQLite for trying it out)',
    )
    .showHelpAfterError()
    .exitOverride();
  for (const add of [
    demoCommand,
    seedCommand,
    runCommand,
    watchCommand,
    backtestCommand,
    migrateCommand,
    serveCommand,
  ])
    add(program);
  return program;
}

/**
 * The one line a failure prints on stderr: our errors by code; a system error (a file, a permission) by its errno
 * code and message, never a stack; only an unexpected fault (a bug) keeps its stack, for the bug report.
 */
function failureLine(e: unknown): string {
  if (isLeadIntelError(e)) return `${e.code}: ${e.message}`;
  const sys = e as Partial<NodeJS.ErrnoException> | null;
  if (typeof sys?.code === 'string' && typeof sys.message === 'string') return `${sys.code}: ${sys.message}`;
  return (e as Error)?.stack ?? String(e);
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0
        ? EXIT.OK
        : EXIT.USAGE;
    }
    process.stderr.write(`lead-intel: ${failureLine(e)}\n`);
    return exitCodeOf(e);
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
