/** A failure that prevents or aborts a run (unreachable target, script error, dead thread): exit code 1. */
export class RunError extends Error {
  /** The process exit code `cli.ts` uses for this error. */
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = "RunError";
  }
}
