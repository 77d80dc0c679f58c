import type { LeadQueries } from './port/leadQueries';
import type { ModelRegistry } from './port/modelRegistry';
import type { RunLockProvider } from './port/runLockProvider';
import type { RunLog } from './port/runLog';
import type { ScoreWriter } from './port/scoreWriter';
import type { ScoringInputReader } from './port/scoringInputReader';

// The port's roles, each in its own file with the data it carries; re-exported so callers import from here.
export * from './port/leadQueries';
export * from './port/modelRegistry';
export * from './port/runLockProvider';
export * from './port/runLog';
export * from './port/scoreWriter';
export * from './port/scoringInputReader';

/**
 * The one port the job talks to: the intersection of its roles (src/store/port/), so a consumer that needs one role
 * takes that narrower type and a test fakes only it. Two adapters: `SqliteLeadStore` (embedded default) and the Azure
 * SQL store. Every method that writes changes only score columns, snapshot rows, run rows and the lock.
 */
export interface LeadStore
  extends ScoringInputReader, ScoreWriter, RunLockProvider, RunLog, ModelRegistry, LeadQueries {
  readonly kind: 'sqlite' | 'mssql';
  close(): Promise<void>;
}
