import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config/loadConfig';
import { openCliStore } from '../openCliStore';
import { log, out } from '../output';

function port(text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 65_535)) throw new InvalidArgumentError(`a port is 0 to 65535, got "${text}"`);
  return n;
}

export function serveCommand(program: Command): Command {
  return program
    .command('serve')
    .description(
      'Serve the lead board and the HTTP API (leads, runs, overview) on 127.0.0.1 over the configured store, read-only, until stopped',
    )
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', port, 7480)
    .action(async (o: { port: number }) => {
      const config = loadConfig(process.env);
      const store = await openCliStore(config, 'read');
      try {
        // loaded here, not at the top: the HTTP handlers register themselves with @azure/functions when loaded (which
        // warns outside the Functions host), and no other command should pay for that or print those warnings
        const { startBoardServer } = await import('../../board/serveBoard');
        const server = await startBoardServer({
          store,
          config,
          port: o.port,
          log: (line) => log.warn(line),
        });
        out(`Lead board: ${server.url} (Ctrl+C to stop)`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await server.close();
      } finally {
        await store.close();
      }
    });
}
