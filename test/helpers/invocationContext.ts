import { InvocationContext } from '@azure/functions';

/** An InvocationContext whose log lines (`level: message`) are kept in `lines`, for the handler tests. */
export function recordingContext(functionName = 'test'): InvocationContext & { lines: string[] } {
  const lines: string[] = [];
  const ctx = new InvocationContext({
    invocationId: 'test',
    functionName,
    logHandler: (level, ...args) => lines.push(`${level}: ${args.map(String).join(' ')}`),
  });
  return Object.assign(ctx, { lines });
}
