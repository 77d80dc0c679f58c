import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config/loadConfig';
import { InputError } from '../../errors';
import type { SqliteLeadStore } from '../../store/sqlite/sqliteLeadStore';
import type { TruthShape } from '../../synthetic/driftingTruth';
import { generateCrm } from '../../synthetic/generateCrm';
import { openEmbeddedForSeeding } from '../openCliStore';
import { positiveInt } from '../options';
import { out, progress } from '../output';

const n = (x: number): string => x.toLocaleString('en-US');

/** Seeds synthetic leads and prints what it wrote (a result: stdout). */
export function seedLeads(
  store: SqliteLeadStore,
  leads: number,
  seed: number,
  closed?: number,
  truth?: TruthShape,
): void {
  const bar = progress(leads + (closed ?? Math.round(leads * 0.4)), 'Seeding');
  const r = generateCrm(store.connection, {
    leads,
    closedLeads: closed,
    now: Date.now(),
    seed,
    truth,
    onProgress: (done) => bar.update(done),
  });
  bar.stop();
  out(
    `Seeded ${n(r.leads)} active and ${n(r.closedLeads)} closed leads, ${n(r.followUps)} follow-ups, ${n(r.visits)} visits`,
  );
}

function truthShape(v: string): TruthShape {
  if (v === 'linear' || v === 'nonlinear-drifting') return v;
  throw new InvalidArgumentError(`expected linear or nonlinear-drifting, got "${v}"`);
}

export function seedCommand(program: Command): Command {
  return program
    .command('seed')
    .description('Seed synthetic leads into the configured embedded database (migrating it first)')
    .option('--leads <n>', 'active leads', positiveInt, 10_000)
    .option('--closed <n>', 'closed (Won/Lost) leads; default 40 % of --leads', positiveInt)
    .option('--seed <n>', 'random seed', positiveInt, 20251014)
    .option(
      '--truth <shape>',
      'how outcomes depend on history: linear (default) or nonlinear-drifting (the model benchmark, docs/model.md)',
      truthShape,
    )
    .action(async (o: { leads: number; closed?: number; seed: number; truth?: TruthShape }) => {
      const config = loadConfig(process.env);
      // synthetic leads belong in the embedded database only: with LEAD_INTEL_STORE=mssql this is somebody's CRM
      if (config.store.kind !== 'sqlite')
        throw new InputError(
          `seed writes synthetic leads into the embedded database only, and LEAD_INTEL_STORE is "${config.store.kind}": unset it to seed ${config.sqlitePath}`,
        );
      const store = openEmbeddedForSeeding(config);
      try {
        seedLeads(store, o.leads, o.seed, o.closed, o.truth);
      } finally {
        await store.close();
      }
    });
}
