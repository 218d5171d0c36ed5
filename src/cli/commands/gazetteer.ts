import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { cacheDir, createGazetteer, indexFilePath, loadPlaceIndex, type PlaceSearchHit } from '../../gazetteer/index.js';
import type { CliContext } from '../main.js';

function indexFile(ctx: CliContext): string {
  return indexFilePath(cacheDir(ctx.env));
}

function formatHit(hit: PlaceSearchHit): string {
  const point = hit.lat === null || hit.lon === null ? 'no point' : `${hit.lat.toFixed(4)},${hit.lon.toFixed(4)}`;
  const where = [hit.admin1, hit.country].filter((x) => x !== null && x !== hit.name).join(', ');
  return `${hit.kind.padEnd(7)} ${hit.name}${where === '' ? '' : `, ${where}`}  (${point}, ±${hit.radiusKm} km, id ${hit.id})`;
}

/** `vigil gazetteer build|info|search`: the offline place index. */
export function registerGazetteer(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const command = program
    .command('gazetteer')
    .description('the offline gazetteer: build its index, show it, search it')
    .addHelpText('after', '\nExamples:\n  vigil gazetteer build\n  vigil gazetteer search Mogad --country SO\n\nThe index lives in $VIGIL_CACHE_DIR (default ~/.cache/vigil) and is rebuilt when the data packages change.');

  command
    .command('build')
    .description('build the place index from the data packages (done at install; every later start reads it)')
    .option('--if-missing', 'do nothing when an index for the installed packages exists')
    .action((flags: { ifMissing?: boolean }) => {
      const file = indexFile(ctx);
      if (flags.ifMissing === true && existsSync(file)) {
        ctx.stdout.write(`gazetteer index is up to date: ${file}\n`);
        return;
      }
      const { index, info } = loadPlaceIndex({ file, rebuild: true });
      if (info.file === null) {
        ctx.stderr.write(`${new VigilError('config', `could not write the gazetteer index to ${file}; set VIGIL_CACHE_DIR to a writable folder`).describe()}\n`);
        setExit(1);
        return;
      }
      const named = index.regions.regions.filter((r) => r.name !== null).length;
      ctx.stdout.write(
        `gazetteer index built in ${(info.loadMs / 1000).toFixed(1)} s: ${index.placeCount.toLocaleString('en')} places, ` +
          `${index.regions.regions.length.toLocaleString('en')} first-level regions (${named.toLocaleString('en')} named), ` +
          `${index.byKey.size.toLocaleString('en')} names -> ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)\n`,
      );
    });

  command
    .command('info')
    .description('where the index is and what it holds')
    .action(() => {
      const file = indexFile(ctx);
      if (!existsSync(file)) {
        ctx.stdout.write(`no gazetteer index yet (it will be built at first use): ${file}\n`);
        return;
      }
      const { index, info } = loadPlaceIndex({ file });
      ctx.stdout.write(`${file}\n  loaded from ${info.source} in ${info.loadMs.toFixed(0)} ms\n  ${index.placeCount.toLocaleString('en')} places, ${index.regions.regions.length.toLocaleString('en')} regions, ${index.byKey.size.toLocaleString('en')} names, ${index.byLoose.size.toLocaleString('en')} transliteration keys\n`);
    });

  command
    .command('search')
    .description('places whose names start with the text: towns, regions, countries')
    .argument('<text>', 'the name or its beginning, in any script')
    .option('--country <code>', 'only in this country (ISO 3166-1 alpha-2)')
    .option('--limit <n>', 'how many answers (1-50)', '10')
    .option('--json', 'one JSON object per line')
    .action((text: string, flags: { country?: string; limit: string; json?: boolean }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
        ctx.stderr.write(`${new VigilError('bad_input', `--limit must be an integer from 1 to 50, got "${flags.limit}"`, { location: { field: 'limit' } }).describe()}\n`);
        setExit(2);
        return;
      }
      const { index, countries } = loadPlaceIndex({ file: indexFile(ctx) });
      const gazetteer = createGazetteer(() => countries, () => index);
      const hits = gazetteer.search(text, { limit, ...(flags.country === undefined ? {} : { country: flags.country }) });
      for (const hit of hits) ctx.stdout.write(flags.json === true ? `${JSON.stringify(hit)}\n` : `${formatHit(hit)}\n`);
      if (hits.length === 0) {
        ctx.stderr.write(`no place starts with "${text}"\n`);
        setExit(1);
      }
    });
}
