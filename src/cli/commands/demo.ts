import type { Command } from 'commander';
import { loadConfig } from '../../config/loadConfig';
import { topLeadsByPriority } from '../../store/sqlite/verifySqlite';
import { openEmbeddedForSeeding } from '../openCliStore';
import { withInterruptSignals } from '../interruptOnSignals';
import { positiveInt } from '../options';
import { log, out } from '../output';
import { printSummary, printTopLeads } from '../printSummary';
import { runOnce } from '../runOnce';
import { seedLeads } from './seed';

export function demoCommand(program: Command): Command {
  return program
    .command('demo')
    .description(
      'Create .data/leads.db if missing, seed 10,000 synthetic leads into it when it has none, run one scoring pass, show the results',
    )
    .option('--leads <n>', 'leads to seed into a database without leads', positiveInt, 10_000)
    .action(async (o: { leads: number }) => {
      const config = loadConfig(process.env);
      const store = openEmbeddedForSeeding(config);
      try {
        // an empty database (new, or created empty by hand or by an older version) is seeded, never scored as is
        const hasLeads =
          store.connection.prepare('SELECT EXISTS (SELECT 1 FROM li_leads)').pluck().get() === 1;
        if (!hasLeads) seedLeads(store, o.leads, 20251014);
        else log.info(`Using the leads already in ${config.sqlitePath} (delete it for a fresh demo)`);
        const summary = await withInterruptSignals((signal) => runOnce(store, config, {}, signal));
        printSummary(summary, out);
        printTopLeads(topLeadsByPriority(store.connection, 10), out);
      } finally {
        await store.close();
      }
    });
}
