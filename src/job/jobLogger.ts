/** Where the job writes its progress lines: `console`, an `InvocationContext`, or a test's recorder. */
export interface JobLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
