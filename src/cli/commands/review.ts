import type { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import type { Incident } from '../../core/model.js';
import {
  acceptIncident,
  editIncident,
  incidentHistory,
  mergeIncidents,
  rejectIncident,
  splitIncident,
  undoRevision,
  type ReviewResult,
} from '../../store/review.js';
import { relinkStore } from '../../pipeline/link-incidents.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../main.js';
import { configFrom, openConfiguredStore, withDbOption } from './common.js';

interface ReviewFlags {
  db?: string;
  by?: string;
  reason?: string;
  expect?: string[];
}

/** `--expect ID@REVISION` values as a map; an incident not named is taken at the revision it has now. */
function expectations(values: readonly string[] = []): Map<string, number> {
  const out = new Map<string, number>();
  for (const value of values) {
    const match = /^(.+)@(\d+)$/.exec(value);
    if (match === null) throw new VigilError('bad_input', `--expect "${value}" is not ID@REVISION (e.g. i_3f2a…@4)`, { location: { field: 'expect' } });
    out.set(match[1] as string, Number(match[2]));
  }
  return out;
}

async function expected(store: Store, id: string, expect: Map<string, number>): Promise<{ id: string; revision: number }> {
  const given = expect.get(id);
  if (given !== undefined) return { id, revision: given };
  const incident = await store.getIncident(id);
  if (incident === null) throw new VigilError('not_found', `no incident with id "${id}"`);
  return { id, revision: incident.revision };
}

function describe(incident: Incident): string {
  const merged = incident.mergedInto === undefined ? '' : `, merged into ${incident.mergedInto}`;
  return `${incident.id} r${incident.revision} ${incident.status}${merged}: ${incident.fields.title ?? 'untitled'} (${incident.mentionIds.length} mention(s))`;
}

function actor(ctx: CliContext, flags: ReviewFlags): { by: string; reason: string | null } {
  return { by: flags.by ?? ctx.env['VIGIL_USER'] ?? ctx.env['USER'] ?? 'cli', reason: flags.reason ?? null };
}

/** Adds the options every writing subcommand shares. */
function writing(command: Command): Command {
  return withDbOption(command)
    .option('--by <name>', 'who decides, for the history (default: $VIGIL_USER, else $USER)')
    .option('--reason <text>', 'why, for the history (required for edit and reject)')
    .option('--expect <id@revision...>', 'the revision you saw of each incident; a stale one fails with a conflict and changes nothing (default: the current one)');
}

/** Adds `vigil review merge|split|edit|accept|reject|undo|history`: the analyst's operations on stored incidents. */
export function registerReview(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const review = program
    .command('review')
    .description('Merge, split, edit, accept, reject or undo incidents as an analyst; show an incident\'s history')
    .addHelpText(
      'after',
      `
Every operation is a revision (who, when, why, before and after) and can be undone. Linking never
undoes an analyst's decision: merged reports stay together, split ones apart, edited fields keep
their value.

Examples:
  $ vigil review history i_3f2a9c0d1e2b4a5c6d7e
  $ vigil review merge i_3f2a9c0d1e2b4a5c6d7e i_77aa01bb23cc45dd67ee --reason "the group's claim of the same attack"
  $ vigil review split i_3f2a9c0d1e2b4a5c6d7e m_0a1b2c3d4e5f60718293a4b5 --reason "another village"
  $ vigil review edit i_3f2a9c0d1e2b4a5c6d7e killed '{"low":9,"best":12,"high":12}' --reason "hospital toll"
  $ vigil review accept i_3f2a9c0d1e2b4a5c6d7e          the machine's incident is right as it is
  $ vigil review reject i_3f2a9c0d1e2b4a5c6d7e --reason "an accident, not an attack" --expect i_3f2a9c0d1e2b4a5c6d7e@3
  $ vigil review undo i_3f2a9c0d1e2b4a5c6d7e
  $ vigil review relink                  link again; analysts' decisions stand`,
    );

  const run = async (flags: ReviewFlags, work: (store: Store, expect: Map<string, number>) => Promise<ReviewResult>): Promise<void> => {
    const expect = expectations(flags.expect);
    const store = await openConfiguredStore(configFrom(ctx, flags));
    try {
      const result = await work(store, expect);
      for (const incident of result.incidents) ctx.stdout.write(`${describe(incident)}\n`);
      setExit(0);
    } finally {
      await store.close();
    }
  };

  writing(review.command('merge').description('Merge incidents into the first one named (the survivor)').argument('<survivor>').argument('<absorbed...>')).action(
    async (survivor: string, absorbed: string[], flags: ReviewFlags) =>
      run(flags, async (store, expect) =>
        mergeIncidents(store, {
          survivor: await expected(store, survivor, expect),
          absorbed: await Promise.all(absorbed.map((id) => expected(store, id, expect))),
          ...actor(ctx, flags),
        }),
      ),
  );

  writing(review.command('split').description('Move mentions of an incident into another incident').argument('<incident>').argument('<mentions...>')).action(
    async (id: string, mentionIds: string[], flags: ReviewFlags) =>
      run(flags, async (store, expect) => splitIncident(store, { ...(await expected(store, id, expect)), mentionIds, ...actor(ctx, flags) })),
  );

  writing(review.command('edit').description('Set one field of an incident by hand (it stays as set)').argument('<incident>').argument('<field>').argument('<json-value>', 'the value as JSON: 12, "text", null, {"low":9,"best":12,"high":12}')).action(
    async (id: string, field: string, raw: string, flags: ReviewFlags) => {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new VigilError('bad_input', `the value ${JSON.stringify(raw)} is not JSON; quote text as '"text"'`, { location: { field: 'json-value' } });
      }
      await run(flags, async (store, expect) => editIncident(store, { ...(await expected(store, id, expect)), field, value, ...actor(ctx, flags) }));
    },
  );

  writing(review.command('accept').description("Accept a machine-made incident as it is (status reviewed; no field pinned)").argument('<incident>')).action(
    async (id: string, flags: ReviewFlags) => run(flags, async (store, expect) => acceptIncident(store, { ...(await expected(store, id, expect)), ...actor(ctx, flags) })),
  );

  writing(review.command('reject').description('Reject an incident (not an attack, or out of scope)').argument('<incident>')).action(
    async (id: string, flags: ReviewFlags) => run(flags, async (store, expect) => rejectIncident(store, { ...(await expected(store, id, expect)), ...actor(ctx, flags) })),
  );

  writing(review.command('undo').description('Undo the latest revision of an incident (with the whole operation it was part of)').argument('<incident>')).action(
    async (id: string, flags: ReviewFlags) => run(flags, async (store, expect) => undoRevision(store, { ...(await expected(store, id, expect)), ...actor(ctx, flags) })),
  );

  withDbOption(review.command('relink').description('Run linking again over the store: reports nobody has touched since they were stored may join the incident they report'))
    .action(async (flags: { db?: string }) => {
      const store = await openConfiguredStore(configFrom(ctx, flags));
      try {
        const summary = await relinkStore(store);
        ctx.stderr.write(`${summary.considered} untouched incidents compared: ${summary.linked} folded into the incident they report, ${summary.updated} incidents updated, ${summary.related} related pairs\n`);
      } finally {
        await store.close();
      }
    });

  withDbOption(review.command('history').description('Show the revisions of an incident: who, when, why, what changed').argument('<incident>'))
    .option('--json', 'one JSON object per revision')
    .action(async (id: string, flags: { db?: string; json?: boolean }) => {
      const store = await openConfiguredStore(configFrom(ctx, flags));
      try {
        for (const entry of await incidentHistory(store, id)) {
          if (flags.json === true) ctx.stdout.write(`${JSON.stringify(entry)}\n`);
          else ctx.stdout.write(`r${entry.revision} ${entry.at} ${entry.by} ${entry.action}${entry.reason === null ? '' : ` — ${entry.reason}`}\n    changed: ${entry.changed.join(', ') || 'nothing'}${entry.alsoChanged.length === 0 ? '' : `; with ${entry.alsoChanged.join(', ')}`}\n`);
        }
      } finally {
        await store.close();
      }
    });
}
