import type { Command } from 'commander';
import { ZodError } from 'zod';
import { VigilError } from '../../core/errors.js';
import { addAlertRule, deliverWebhooks, evaluateAlerts } from '../../pipeline/alerts.js';
import { alertsOf } from '../../store/alerts.js';
import type { CliContext } from '../main.js';
import { configFrom, openConfiguredStore, withDbOption, withStore } from './common.js';

/** VIGIL_WEBHOOKS_ALLOW_PRIVATE=true lets webhooks go to loopback, link-local and private addresses. */
export function webhooksAllowPrivate(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^(1|true|yes)$/i.test(env['VIGIL_WEBHOOKS_ALLOW_PRIVATE'] ?? '');
}

const int = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** `vigil alerts rules add|list|remove`, `vigil alerts list`, `vigil alerts run`. */
export function registerAlerts(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const alerts = program
    .command('alerts')
    .description('alert rules (new area, surge, casualties, claim), the alerts they fired, webhook delivery')
    .addHelpText(
      'after',
      `
Examples:
  $ vigil alerts rules add --name "IS in new countries" --kind new_area --actor islamic-state --months 12
  $ vigil alerts rules add --name "Sahel surge" --kind surge --country ML --period-days 30 --min-count 10 --increase-pct 25
  $ vigil alerts rules add --name "mass casualty" --kind casualties --min-casualties 25 --webhook https://hooks.example/vigil
  $ vigil alerts list
  $ vigil alerts run        # evaluate changed incidents and deliver webhooks once ("vigil watch" does it continuously)`,
    );
  const rules = alerts.command('rules').description('the alert rules');

  withDbOption(
    rules
      .command('add')
      .description('add a rule; with --webhook, its signing secret is printed once')
      .requiredOption('--name <name>', 'what to call it')
      .requiredOption('--kind <kind>', 'new_area, surge, casualties or claim')
      .option('--actor <id>', 'an actor id of the registry (sub-groups included)')
      .option('--country <code>', 'ISO 3166-1 alpha-2')
      .option('--months <n>', 'new_area: months of absence (default 12)')
      .option('--period-days <n>', 'surge: period length in days (default 30)')
      .option('--min-count <n>', 'surge: least count in the latest period (default 5)')
      .option('--increase-pct <n>', 'surge: rise over the previous period, percent (default 25)')
      .option('--min-casualties <n>', 'casualties: killed + wounded threshold (default 10)')
      .option('--webhook <url>', 'POST each alert there, signed'),
  ).action(async (f: { db?: string; name: string; kind: string; actor?: string; country?: string; months?: string; periodDays?: string; minCount?: string; increasePct?: string; minCasualties?: string; webhook?: string }) => {
    const store = await openConfiguredStore(configFrom(ctx, f));
    try {
      const input = Object.fromEntries(
        Object.entries({ name: f.name, kind: f.kind, actorId: f.actor, country: f.country, months: int(f.months), periodDays: int(f.periodDays), minCount: int(f.minCount), increasePct: int(f.increasePct), minCasualties: int(f.minCasualties), webhookUrl: f.webhook }).filter(([, v]) => v !== undefined),
      );
      const rule = await addAlertRule(store, input);
      ctx.stdout.write(`${rule.id}\n`);
      if (rule.secret !== null) ctx.stderr.write(`webhook signing secret (shown once): ${rule.secret}\n`);
    } catch (error) {
      if (error instanceof ZodError) {
        for (const issue of error.issues) ctx.stderr.write(`bad_input: ${issue.path.join('.') || 'rule'}: ${issue.message}\n`);
        setExit(2);
        return;
      }
      throw error;
    } finally {
      await store.close();
    }
  });

  withDbOption(rules.command('list').description('the rules (secrets are not shown)').option('--json', 'one JSON object per line')).action(async (f: { db?: string; json?: boolean }) => {
    await withStore(ctx, f, async (store) => {
      for (const { secret: _secret, ...rule } of await alertsOf(store).listRules()) {
        ctx.stdout.write(f.json === true ? `${JSON.stringify(rule)}\n` : `${rule.id}  ${rule.kind.padEnd(10)} ${rule.name}${rule.actorId === null ? '' : `  actor ${rule.actorId}`}${rule.country === null ? '' : `  in ${rule.country}`}${rule.webhookUrl === null ? '' : `  -> ${rule.webhookUrl}`}\n`);
      }
    });
  });

  withDbOption(rules.command('remove').description('remove a rule (its alerts stay)').argument('<id>', 'the rule id')).action(async (id: string, f: { db?: string }) => {
    await withStore(ctx, f, async (store) => {
      if (!(await alertsOf(store).removeRule(id))) {
        ctx.stderr.write(`${new VigilError('not_found', `no alert rule with id "${id}"`, { location: { field: 'id' } }).describe()}\n`);
        setExit(1);
      }
    });
  });

  withDbOption(alerts.command('list').description('fired alerts, newest first').option('--limit <n>', 'how many', '20').option('--json', 'one JSON object per line')).action(async (f: { db?: string; limit: string; json?: boolean }) => {
    await withStore(ctx, f, async (store) => {
      const page = await alertsOf(store).listAlerts({ limit: Math.min(500, Math.max(1, Number(f.limit) || 20)) });
      for (const a of page.items) ctx.stdout.write(f.json === true ? `${JSON.stringify(a)}\n` : `${a.firedAt}  ${a.kind.padEnd(10)} ${a.ruleName}: ${a.title}\n`);
    });
  });

  withDbOption(alerts.command('run').description('evaluate incidents changed since the last run, then deliver due webhooks')).action(async (f: { db?: string }) => {
    await withStore(ctx, f, async (store) => {
      const evaluated = await evaluateAlerts(store);
      const delivered = await deliverWebhooks(store, { allowPrivate: webhooksAllowPrivate(ctx.env) });
      for (const a of evaluated.fired) ctx.stdout.write(`${a.kind.padEnd(10)} ${a.ruleName}: ${a.title}\n`);
      ctx.stderr.write(`${evaluated.incidentsExamined} changed incidents examined, ${evaluated.fired.length} alerts fired; webhooks: ${delivered.delivered} delivered, ${delivered.retrying} to retry, ${delivered.failed} given up\n`);
    });
  });
}
