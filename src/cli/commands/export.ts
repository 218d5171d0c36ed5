import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { IncidentQuerySchema } from '../../api/query.js';
import { VigilError } from '../../core/errors.js';
import { STIX_LOCATION_RELATIONSHIPS } from '../../export/stix.js';
import { EXPORT_FORMATS, exportStore, type ExportFormat, type SkippedIncident } from '../../export/stream.js';
import type { CliContext } from '../main.js';
import { configFrom, openConfiguredStore, withDbOption } from './common.js';

interface ExportFlags {
  db?: string;
  format: string;
  output?: string;
  from?: string;
  to?: string;
  country?: string;
  actor?: string;
  bbox?: string;
  status?: string;
  stixLocationRelationship: string;
}

export function registerExport(program: Command, ctx: CliContext): void {
  withDbOption(
    program
      .command('export')
      .description('Write incidents as CSV, GeoJSON, JSON Lines, a STIX 2.1 bundle, or ACLED- or GTD-shaped CSV, streamed, with the same filters as the API')
      .option('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`, 'csv')
      .option('-o, --output <file>', 'write to this file instead of standard output')
      .option('--from <YYYY-MM-DD>', 'incidents on or after this day')
      .option('--to <YYYY-MM-DD>', 'incidents on or before this day')
      .option('--country <ISO>', 'ISO 3166-1 alpha-2 country code')
      .option('--actor <id>', 'actor id, e.g. is-west-africa')
      .option('--bbox <w,s,e,n>', 'bounding box in degrees')
      .option('--status <status>', 'machine, reviewed or rejected')
      .option('--stix-location-relationship <type>', `STIX: how an incident points at its place, ${STIX_LOCATION_RELATIONSHIPS.join(' or ')} (OpenCTI accepts targets)`, 'located-at'),
  )
    .addHelpText(
      'after',
      `
Formats (docs/export.md):
  csv       Vigil's own columns; cells a spreadsheet would run as formulas get a leading apostrophe
  geojson   one RFC 7946 FeatureCollection (opens in QGIS); no point, null geometry
  jsonl     one incident per line, as the API returns it
  stix      a STIX 2.1 bundle (OpenCTI): identity, threat actors, locations, incidents,
            relationships, Vigil's fields in the x-vigil-incident extension; stable ids
  acled     ACLED's columns; "vigil import acled" reads the file back
  gtd       GTD's columns; "vigil import gtd" reads the file back
Incidents a format cannot express (an ACLED or GTD row needs a date) are counted on stderr.

Examples:
  $ vigil export --format geojson --country NG --from 2025-01-01 -o nigeria-2025.geojson
  $ vigil export --format stix --actor is-west-africa -o iswap.stix.json
  $ vigil export --format stix --stix-location-relationship targets -o for-opencti.json
  $ vigil export --format gtd --from 2024-01-01 -o vigil-2024.gtd.csv`,
    )
    .action(async (flags: ExportFlags) => {
      const format = EXPORT_FORMATS.find((f) => f === flags.format) as ExportFormat | undefined;
      if (format === undefined) {
        throw new VigilError('bad_input', `unknown format "${flags.format}": use one of ${EXPORT_FORMATS.join(', ')}`, {
          location: { field: 'format' },
        });
      }
      const locationRelationship = STIX_LOCATION_RELATIONSHIPS.find((r) => r === flags.stixLocationRelationship);
      if (locationRelationship === undefined) {
        throw new VigilError('bad_input', `unknown relationship "${flags.stixLocationRelationship}": use ${STIX_LOCATION_RELATIONSHIPS.join(' or ')}`, {
          location: { field: 'stix-location-relationship' },
        });
      }
      const parsed = IncidentQuerySchema.safeParse(
        Object.fromEntries(
          Object.entries({ from: flags.from, to: flags.to, country: flags.country, actor: flags.actor, bbox: flags.bbox, status: flags.status }).filter(
            ([, v]) => v !== undefined,
          ),
        ),
      );
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new VigilError('bad_input', `--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
      }
      const { from, to, country, actor, bbox, status } = parsed.data;
      const store = await openConfiguredStore(configFrom(ctx, flags));
      const reasons = new Map<string, number>();
      let skipped = 0;
      let firstSkipped: SkippedIncident | null = null;
      const onSkip = (s: SkippedIncident): void => {
        skipped += 1;
        firstSkipped ??= s;
        reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
      };
      const output = flags.output === undefined ? null : path.resolve(ctx.cwd, flags.output);
      try {
        const chunks = Readable.from(exportStore(store, { from, to, country, actor, bbox, status }, format, { onSkip, locationRelationship }));
        if (output === null) await pipeline(chunks, ctx.stdout, { end: false });
        else {
          // Written beside the target and renamed at the end: a failed export leaves no half file.
          const partial = `${output}.partial`;
          try {
            await pipeline(chunks, await openOutput(partial, flags.output ?? output));
            await rename(partial, output);
          } catch (error) {
            await rm(partial, { force: true });
            throw error;
          }
        }
      } finally {
        await store.close();
      }
      if (skipped > 0) {
        const why = [...reasons].map(([reason, n]) => `${n} because ${reason}`).join('; ');
        ctx.stderr.write(`vigil export: ${skipped} incident(s) not written as ${format}: ${why} (the first: ${(firstSkipped as SkippedIncident | null)?.incidentId ?? '?'})\n`);
      }
    });
}

/** A file opened for writing; a VigilError naming the file when it cannot be. */
async function openOutput(file: string, shown: string): Promise<WriteStream> {
  const stream = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new VigilError('bad_input', `cannot write ${shown}: ${error.message}`, { cause: error, location: { field: 'output' } })));
  });
  return stream;
}
