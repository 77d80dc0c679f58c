import type { Command } from 'commander';
import { loadConfig } from '../../config/loadConfig';
import { openCliStore } from '../openCliStore';
import { withInterruptSignals } from '../interruptOnSignals';
import { leadIdList } from '../options';
import { out } from '../output';
import { printSummary } from '../printSummary';
import { runOnce } from '../runOnce';

export function runCommand(program: Command): Command {
  return program
    .command('run')
    .description('Run one scoring pass against the configured store')
    .option('--lead-ids <ids>', 'comma-separated lead ids to rescore (default: all active leads)', leadIdList)
    .option('--dry-run', 'compute without writing anything (opens the embedded database read-only)')
    .option('--json', 'print the run summary as one JSON line on stdout (log lines stay on stderr)')
    .action(async (o: { leadIds?: number[]; dryRun?: boolean; json?: boolean }) => {
      const config = loadConfig(process.env);
      const store = await openCliStore(config, o.dryRun ? 'read' : 'write');
      try {
        const summary = await withInterruptSignals((signal) => runOnce(store, config, o, signal));
        if (o.json) out(JSON.stringify(summary));
        else printSummary(summary, out);
      } finally {
        await store.close();
      }
    });
}
