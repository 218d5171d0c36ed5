import { Command, CommanderError } from 'commander';
import { isVigilError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';

/** What the command functions need from the outside world; tests pass their own. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
}

/** Builds the `vigil` command tree. Each command sets `process.exitCode`-style results via its return. */
export function buildProgram(ctx: CliContext, setExit: (code: number) => void): Command {
  const program = new Command('vigil')
    .description('Vigil: a monitor of terrorism and political violence. Reports in, geocoded incidents with evidence out.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage and an example)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ vigil demo                                   a fresh demo database with the bundled reports, then the map
  $ vigil ingest reports/ --db ./vigil.db        extract and store every report in a folder
  $ vigil serve --db ./vigil.db --port 8080      the API and the map at http://127.0.0.1:8080/
  $ vigil extract --input in.jsonl --output out.jsonl

The database is ./vigil.db unless --db or VIGIL_DB names another SQLite file or a postgres:// URL.
Run "vigil <command> --help" for a command's options and an example.`,
    )
    .exitOverride();
  registerCommands(program, ctx, setExit);
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: readonly string[], ctx: CliContext = defaultContext()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(ctx, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isVigilError(error)) {
      ctx.stderr.write(`vigil: ${error.describe()}\n`);
      return 2;
    }
    ctx.stderr.write(`vigil: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 70;
  }
}

function defaultContext(): CliContext {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}
