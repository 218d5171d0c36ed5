import type { Command } from 'commander';
import type { CliContext } from '../main.js';
import { registerDemo } from './demo.js';
import { registerExport } from './export.js';
import { registerExtract } from './extract.js';
import { registerGazetteer } from './gazetteer.js';
import { registerImport } from './import.js';
import { registerIngest } from './ingest.js';
import { registerLink } from './link.js';
import { registerReview } from './review.js';
import { registerServe } from './serve.js';
import { registerSources } from './sources.js';
import { registerAlerts } from './alerts.js';
import { registerUsers } from './users.js';

/** Every `vigil` command. */
export function registerCommands(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  registerIngest(program, ctx, setExit);
  registerExtract(program, ctx, setExit);
  registerImport(program, ctx, setExit);
  registerLink(program, ctx, setExit);
  registerReview(program, ctx, setExit);
  registerExport(program, ctx);
  registerServe(program, ctx);
  registerDemo(program, ctx);
  registerUsers(program, ctx);
  registerGazetteer(program, ctx, setExit);
  registerSources(program, ctx, setExit);
  registerAlerts(program, ctx, setExit);
}
