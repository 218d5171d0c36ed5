import type { Hono } from 'hono';
import { z } from 'zod';
import { ACCESS_LEVELS, ruleFor, type AccessLevel } from '../auth/policy.js';
import { ROLES } from '../auth/roles.js';
import type { AccessSettings } from '../core/config.js';
import { ERROR_CODES } from '../core/errors.js';
import { DocumentSchema, IncidentSchema, INCIDENT_STATUSES, LinkSchema, MentionSchema, RevisionSchema } from '../core/model.js';
import { STATS_GROUPS } from '../store/stats.js';
import { STATUS_OF } from './errors.js';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses). */
type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: Schema;
}

/** One operation of the API as this file describes it. */
export interface OperationSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** As registered in Hono: `/api/incidents/:id`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  parameters?: Parameter[];
  body?: { description: string; schema: Schema };
  /** Success responses: status → description and schema. */
  responses: Record<string, { description: string; schema?: Schema; contentType?: string }>;
  /** Error statuses this operation can answer beyond the ones every route can (401, 403, 429, 503). */
  errors?: number[];
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const query = (name: string, description: string, schema: Schema = { type: 'string' }, required = false): Parameter => ({ name, in: 'query', description, schema, required });
/** The filters GET /api/incidents and GET /api/stats share (src/api/query.ts). */
const FILTER_PARAMS: Parameter[] = [
  query('country', 'ISO 3166-1 alpha-2 code', { type: 'string', pattern: '^[A-Za-z]{2}$' }),
  query('actor', 'an actor id such as `islamic-state`; includes its sub-groups (provinces, branches) unless subgroups=false'),
  query('subgroups', 'with actor: include its sub-groups', { enum: ['true', 'false'], default: 'true' }),
  query('attribution', 'attribution kinds, comma-separated (with actor: of that actor)', { type: 'string', description: 'claimed, attributed, suspected, denied' }),
  query('admin1', 'first-level administrative division, as stored'),
  query('attack_type', 'codebook attack types, comma-separated; any of them matches'),
  query('target_type', 'codebook target types, comma-separated'),
  query('weapon_type', 'codebook weapon types, comma-separated'),
  query('min_killed', 'best figure of killed at least', { type: 'integer', minimum: 0 }),
  query('min_wounded', 'best figure of wounded at least', { type: 'integer', minimum: 0 }),
  query('min_casualties', 'best killed + best wounded at least (unknown counts 0)', { type: 'integer', minimum: 0 }),
  query('q', 'words that must all occur in one document (title or text, which holds the evidence) the incident is reported in'),
  query('bbox', '`west,south,east,north` in degrees; west > east crosses the antimeridian'),
  query('status', 'review status', { enum: [...INCIDENT_STATUSES] }),
  query('updated_since', 'incidents changed at or after this instant (incremental sync)', { type: 'string', format: 'date-time' }),
  query('as_of', 'answer from the data as it stood at this instant, rebuilt from the revisions (docs/api.md)', { type: 'string', format: 'date-time' }),
];

const idParam = (what: string): Parameter => ({ name: 'id', in: 'path', required: true, description: `the ${what}'s id`, schema: { type: 'string' } });
const list = (item: string): Schema => ({
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: ref(item) }, nextCursor: { type: ['string', 'null'], description: 'pass as `cursor` for the next page; null on the last' } },
});
const reviewResult: Schema = {
  type: 'object',
  description: 'the incidents the operation wrote, as they are now, and their new revisions',
  properties: { incidents: { type: 'array', items: ref('Incident') }, revisions: { type: 'array', items: ref('Revision') } },
};
const expected: Schema = {
  type: 'object',
  required: ['id', 'revision'],
  properties: { id: { type: 'string' }, revision: { type: 'integer', minimum: 1, description: 'the revision the analyst saw' } },
};
const limitParam = query('limit', 'page size, 1 to 1000 (default 100)', { type: 'integer', minimum: 1, maximum: 1000, default: 100 });
const cursorParam = query('cursor', 'the `nextCursor` of the previous page');
const revisionBody = (description: string, extra: Record<string, Schema>, required: string[]): Schema => ({
  type: 'object',
  description,
  required: ['revision', ...required],
  properties: {
    revision: { type: 'integer', minimum: 1, description: "the incident's revision the change was made against; a newer one on the server is a 409 (optimistic concurrency)" },
    reason: { type: 'string', description: 'why, kept in the revision' },
    ...extra,
  },
});

function modelSchema(schema: z.ZodType): Schema {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) as Schema;
  delete json['$schema'];
  return json;
}

/** Every operation Vigil's API has or is adding, described once; the served description keeps those the app registers. */
export const OPERATIONS: readonly OperationSpec[] = [
  {
    method: 'get',
    path: '/api/health',
    operationId: 'health',
    tag: 'service',
    summary: 'Whether the service and its database are up',
    responses: {
      '200': { description: 'up', schema: { type: 'object', properties: { status: { const: 'ok' }, store: { enum: ['sqlite', 'postgres'] }, schemaVersion: { type: 'integer' }, counts: { type: 'object', additionalProperties: { type: 'integer' } } } } },
      '503': { description: 'the database cannot be reached', schema: { type: 'object', properties: { status: { const: 'unavailable' }, error: ref('ErrorDetail') } } },
    },
  },
  { method: 'get', path: '/api/openapi.json', operationId: 'openApi', tag: 'service', summary: 'This description, as OpenAPI 3.1 JSON', responses: { '200': { description: 'the OpenAPI document', schema: { type: 'object' } } } },
  { method: 'get', path: '/api/docs', operationId: 'docs', tag: 'service', summary: 'This description as a readable HTML page (works offline)', responses: { '200': { description: 'HTML', contentType: 'text/html', schema: { type: 'string' } } } },

  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'accounts',
    summary: 'Sign in with a user name and password: a session cookie for the web app',
    description:
      'Sets an HttpOnly, SameSite=Strict session cookie (`vigil_session`, or `__Host-vigil_session` when VIGIL_SECURE_COOKIES is set) and returns the CSRF token that cookie-authenticated changes must send in the `X-CSRF-Token` header. Attempts are limited per address and failures per name (VIGIL_LOGIN_RATE_LIMIT a minute). Every attempt is in the audit log.',
    body: { description: 'the credentials', schema: { type: 'object', required: ['name', 'password'], properties: { name: str('user name'), password: str('password') }, additionalProperties: false } },
    responses: { '200': { description: 'signed in', schema: { type: 'object', properties: { user: ref('User'), csrfToken: str('send as X-CSRF-Token with changes'), expiresAt: str('when the session ends', { format: 'date-time' }) } } } },
    errors: [401, 422, 429],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    tag: 'accounts',
    summary: 'Sign out: the session is deleted on the server and the cookie cleared',
    description: 'With the session cookie, the `X-CSRF-Token` header is required.',
    responses: { '200': { description: 'whether a session ended', schema: { type: 'object', properties: { signedOut: { type: 'boolean' } } } } },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    tag: 'accounts',
    summary: 'Who is signed in (user null when nobody), how, what they may do, and the CSRF token of the session',
    responses: {
      '200': {
        description: 'the caller',
        schema: {
          type: 'object',
          properties: {
            user: { anyOf: [ref('User'), { type: 'null' }] },
            via: { enum: ['session', 'token', null] },
            csrfToken: { type: ['string', 'null'] },
            openReads: { type: 'boolean' },
            can: {
              type: 'object',
              description: 'what the caller may do, for a UI that shows only that',
              properties: { read: { type: 'boolean' }, change: { type: 'boolean', description: 'accept, edit, reject, merge, split, undo' }, manageAccounts: { type: 'boolean' } },
            },
          },
        },
      },
    },
  },
  {
    method: 'post',
    path: '/api/auth/password',
    operationId: 'changePassword',
    tag: 'accounts',
    summary: "Change one's own password; every other session of the user ends",
    body: {
      description: 'the current and the new password',
      schema: { type: 'object', required: ['currentPassword', 'newPassword'], additionalProperties: false, properties: { currentPassword: { type: 'string' }, newPassword: str('at least 10 characters') } },
    },
    responses: { '200': { description: 'changed', schema: { type: 'object', properties: { changed: { const: true } } } } },
    errors: [401, 422],
  },

  {
    method: 'get',
    path: '/api/incidents',
    operationId: 'listIncidents',
    tag: 'incidents',
    summary: 'Incidents, newest first, filtered and paged',
    parameters: [
      query('from', 'incidents whose date range ends on or after this day', { type: 'string', format: 'date' }),
      query('to', 'incidents whose date range starts on or before this day', { type: 'string', format: 'date' }),
      ...FILTER_PARAMS,
      limitParam,
      cursorParam,
      query('format', '`json` (default), `geojson` (an RFC 7946 FeatureCollection) or `csv` (next cursor in the `x-next-cursor` header); streamed', { enum: ['json', 'geojson', 'csv'], default: 'json' }),
    ],
    responses: { '200': { description: 'a page of incidents (or a FeatureCollection with format=geojson, CSV with format=csv)', schema: list('Incident') } },
    errors: [422],
  },
  {
    method: 'get',
    path: '/api/incidents/:id',
    operationId: 'getIncident',
    tag: 'incidents',
    summary: 'One incident with its mentions (every field with its evidence), source documents, revisions and links',
    parameters: [idParam('incident'), query('as_of', 'the incident as it stood at this instant (404 if it did not exist yet), with the revisions made until then', { type: 'string', format: 'date-time' })],
    responses: {
      '200': {
        description: 'the incident and its evidence',
        schema: {
          type: 'object',
          properties: {
            incident: ref('Incident'),
            mentions: { type: 'array', items: ref('Mention') },
            documents: { type: 'array', items: ref('Document') },
            revisions: { type: 'array', items: ref('Revision') },
            links: { type: 'array', items: ref('Link') },
          },
        },
      },
    },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/incidents/:id/history',
    operationId: 'incidentHistory',
    tag: 'review',
    summary: "The incident's revisions, oldest first: who changed what, when and why (links, merges, splits, edits, acceptances, rejections, undos)",
    parameters: [idParam('incident')],
    responses: {
      '200': {
        description: 'the history',
        schema: {
          type: 'object',
          properties: {
            incidentId: { type: 'string' },
            revision: { type: ['integer', 'null'], description: "the incident's current revision" },
            mergedInto: { type: ['string', 'null'], description: 'the survivor, when the incident was merged into another' },
            history: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  revision: { type: 'integer' },
                  at: { type: 'string', format: 'date-time' },
                  by: { type: 'string', description: 'a user, or system:<component>' },
                  action: { type: 'string' },
                  reason: { type: ['string', 'null'] },
                  changed: { type: 'array', items: { type: 'string' }, description: '`status`, `mentionIds`, `fields.killed`, …' },
                  changes: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, before: {}, after: {} } } },
                  alsoChanged: { type: 'array', items: { type: 'string' }, description: 'other incidents the same operation changed' },
                  undoes: { type: ['object', 'null'], properties: { incidentId: { type: 'string' }, revision: { type: 'integer' } } },
                },
              },
            },
          },
        },
      },
    },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/incidents/:id/edit',
    operationId: 'editIncident',
    tag: 'review',
    summary: 'Set fields of an incident (an analyst edit, pinned against re-linking); a new revision',
    parameters: [idParam('incident')],
    body: { description: 'the field to set', schema: revisionBody('an edit', { field: { type: 'string', description: 'a field of Incident.fields, e.g. `killed` or `location`' }, value: { description: 'its new value, in the form Incident.fields gives it' } }, ['field', 'value', 'reason']) },
    responses: { '200': { description: 'the incident after the edit', schema: reviewResult } },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/incidents/:id/accept',
    operationId: 'acceptIncident',
    tag: 'review',
    summary: "Accept a machine-made incident as it is: its status becomes reviewed, no field is pinned; a new revision (action accept), undoable",
    parameters: [idParam('incident')],
    body: { description: 'the revision seen', schema: revisionBody('an acceptance', {}, []) },
    responses: { '200': { description: 'the accepted incident', schema: reviewResult } },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/incidents/:id/reject',
    operationId: 'rejectIncident',
    tag: 'review',
    summary: 'Reject an incident (not an attack, or out of scope); a new revision, undoable',
    parameters: [idParam('incident')],
    body: { description: 'the rejection', schema: revisionBody('a rejection', {}, ['reason']) },
    responses: { '200': { description: 'the rejected incident', schema: reviewResult } },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/incidents/:id/split',
    operationId: 'splitIncident',
    tag: 'review',
    summary: 'Split mentions off an incident into a new one; linking never joins them again',
    parameters: [idParam('incident')],
    body: { description: 'the mentions to move', schema: revisionBody('a split', { mentionIds: { type: 'array', items: { type: 'string' }, minItems: 1 } }, ['mentionIds']) },
    responses: { '200': { description: 'both incidents after the split', schema: reviewResult } },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/incidents/:id/undo',
    operationId: 'undoIncident',
    tag: 'review',
    summary: "Undo the incident's latest revision, and with it the whole operation it was part of (a merge undoes on every incident it touched), as new revisions",
    parameters: [idParam('incident')],
    body: { description: 'the revision seen, which must be the latest', schema: revisionBody('an undo', {}, []) },
    responses: { '200': { description: 'the incidents after the undo', schema: reviewResult } },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/incidents/merge',
    operationId: 'mergeIncidents',
    tag: 'review',
    summary: 'Merge incidents that are one attack: the survivor takes the mentions, the absorbed point to it; undoable',
    body: {
      description: 'the survivor and the incidents it absorbs, each with the revision seen',
      schema: {
        type: 'object',
        required: ['survivor', 'absorbed'],
        properties: { survivor: expected, absorbed: { type: 'array', items: expected, minItems: 1 }, reason: { type: 'string' } },
      },
    },
    responses: { '200': { description: 'the survivor and the absorbed incidents after the merge', schema: reviewResult } },
    errors: [404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/sources',
    operationId: 'listSources',
    tag: 'sources',
    summary: 'The watched feeds, folders and Telegram exports with their health: last success, last error, failures in a row, next poll, entries taken',
    responses: { '200': { description: 'the sources', schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } } } },
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/sources',
    operationId: 'addSource',
    tag: 'sources',
    summary: 'Watch a feed URL (http/https; private addresses refused unless allowed), a folder or a Telegram channel export on the server',
    body: {
      description: 'what to watch',
      schema: {
        type: 'object',
        required: ['kind', 'locator'],
        properties: { kind: { type: 'string', enum: ['feed', 'folder', 'telegram'] }, locator: { type: 'string' }, name: { type: 'string' }, interval: { type: 'string', description: '90s, 15m, 2h' } },
      },
    },
    responses: { '201': { description: 'the new source', schema: { type: 'object' } } },
    errors: [401, 403, 409, 422],
  },
  {
    method: 'delete',
    path: '/api/sources/:id',
    operationId: 'removeSource',
    tag: 'sources',
    summary: 'Stop watching a source; its documents and incidents stay',
    parameters: [idParam('source')],
    responses: { '204': { description: 'removed' } },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/alerts',
    operationId: 'listAlerts',
    tag: 'alerts',
    summary: 'Fired alerts, newest first: each rule fires once per event (a new area for an actor, a surge, a mass-casualty incident, a claim)',
    parameters: [query('limit', 'page size', { type: 'integer', minimum: 1, maximum: 500, default: 50 }), query('cursor', 'the nextCursor of the previous page'), query('rule', 'only this rule')],
    responses: { '200': { description: 'a page of alerts', schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } }, nextCursor: { type: ['string', 'null'] } } } } },
    errors: [401, 422],
  },
  {
    method: 'get',
    path: '/api/alert-rules',
    operationId: 'listAlertRules',
    tag: 'alerts',
    summary: 'The alert rules (webhook secrets are never listed)',
    responses: { '200': { description: 'the rules', schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } } } },
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/alert-rules',
    operationId: 'addAlertRule',
    tag: 'alerts',
    summary: 'Add an alert rule; with a webhook, the answer carries the signing secret once',
    body: {
      description: 'the rule',
      schema: {
        type: 'object',
        required: ['name', 'kind'],
        properties: {
          name: { type: 'string' },
          kind: { type: 'string', enum: ['new_area', 'surge', 'casualties', 'claim'] },
          actorId: { type: ['string', 'null'], description: 'an actor of the registry; its sub-groups are included' },
          country: { type: ['string', 'null'], description: 'ISO 3166-1 alpha-2' },
          months: { type: 'integer', description: 'new_area: months of absence (default 12)' },
          periodDays: { type: 'integer', description: 'surge: period length (default 30)' },
          minCount: { type: 'integer', description: 'surge: least count in the latest period (default 5)' },
          increasePct: { type: 'number', description: 'surge: rise over the previous period in percent (default 25)' },
          minCasualties: { type: 'integer', description: 'casualties: killed + wounded threshold (default 10)' },
          webhookUrl: { type: ['string', 'null'], description: 'where to POST alerts, signed with HMAC-SHA256 (x-vigil-signature: t=…,v1=…)' },
        },
      },
    },
    responses: { '201': { description: 'the new rule, with its secret', schema: { type: 'object' } } },
    errors: [401, 403, 422],
  },
  {
    method: 'delete',
    path: '/api/alert-rules/:id',
    operationId: 'removeAlertRule',
    tag: 'alerts',
    summary: 'Remove an alert rule; its alerts stay, its pending deliveries are dropped',
    parameters: [idParam('alert rule')],
    responses: { '204': { description: 'removed' } },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/places',
    operationId: 'searchPlaces',
    tag: 'places',
    summary: "Places matching a name, for the web app's search box: cities, regions and countries with precision and a point",
    parameters: [
      query('q', 'the name typed so far (any script; accents and spelling variants folded)', { type: 'string', minLength: 1, maxLength: 100 }, true),
      query('country', 'only places in this country (ISO 3166-1 alpha-2)', { type: 'string', pattern: '^[A-Za-z]{2}$' }),
      query('limit', 'how many, at most', { type: 'integer', minimum: 1, maximum: 50, default: 10 }),
    ],
    responses: {
      '200': {
        description: 'the places, best first',
        schema: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['kind', 'id', 'name', 'country', 'precision', 'radiusKm'],
                properties: {
                  kind: { type: 'string', enum: ['city', 'admin1', 'country'] },
                  id: { type: 'string', description: 'GeoNames id (or vigil:N for the own locality table), COUNTRY.CODE of a region, ISO code of a country' },
                  name: { type: 'string' },
                  admin1: { type: ['string', 'null'] },
                  country: { type: 'string' },
                  lat: { type: ['number', 'null'] },
                  lon: { type: ['number', 'null'] },
                  precision: { type: 'string', enum: ['city', 'admin1', 'country'] },
                  radiusKm: { type: 'number', description: 'how far from the point the place may extend' },
                  population: { type: ['number', 'null'] },
                },
              },
            },
          },
        },
      },
    },
    errors: [422],
  },
  {
    method: 'get',
    path: '/api/stats',
    operationId: 'stats',
    tag: 'incidents',
    summary:
      'Counts and killed/wounded sums (low, best, high) over a window, in total and grouped by actor, country, admin1, month, week or attack type, each with the previous period of equal length and the change; one call answers "attacks claimed by the Islamic State and its provinces in the 12 months to D": ?actor=islamic-state&attribution=claimed&rolling=12m&end=D',
    parameters: [
      query('group_by', 'none (totals only), actor, country, admin1, month, week (keyed by its Monday) or attack_type', { enum: [...STATS_GROUPS], default: 'none' }),
      query('rollup', 'with group_by=actor: count sub-groups under their top-level group', { enum: ['true', 'false'], default: 'false' }),
      query('from', 'first day of the window (an incident counts on its first day)', { type: 'string', format: 'date' }),
      query('to', 'last day of the window', { type: 'string', format: 'date' }),
      query('rolling', 'instead of from/to: a window of N months, days or years ending on `end`: `12m`, `90d`, `1y`', { type: 'string', pattern: '^[1-9][0-9]{0,2}[mdy]$' }),
      query('end', 'last day of a rolling window (default today, UTC)', { type: 'string', format: 'date' }),
      ...FILTER_PARAMS,
    ],
    responses: {
      '200': {
        description: 'the rollup: period, previousPeriod, asOf, total and groups; each with incidents, killed and wounded {low, best, high}, previous and change',
        schema: { type: 'object', required: ['period', 'previousPeriod', 'groupBy', 'asOf', 'total', 'groups'] },
      },
    },
    errors: [422],
  },

  {
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    tag: 'accounts',
    summary: 'Every user, by name (admins)',
    responses: { '200': { description: 'the users', schema: { type: 'object', properties: { items: { type: 'array', items: ref('User') } } } } },
  },
  {
    method: 'post',
    path: '/api/users',
    operationId: 'createUser',
    tag: 'accounts',
    summary: 'Create a user (admins); the password is stored as a salted scrypt hash',
    body: {
      description: 'the new user',
      schema: { type: 'object', required: ['name', 'role', 'password'], additionalProperties: false, properties: { name: str('2 to 64 of a-z 0-9 . _ -'), role: { enum: [...ROLES] }, password: str('at least 10 characters') } },
    },
    responses: { '201': { description: 'created', schema: { type: 'object', properties: { user: ref('User') } } } },
    errors: [409, 422],
  },
  { method: 'get', path: '/api/users/:id', operationId: 'getUser', tag: 'accounts', summary: 'One user (admins)', parameters: [idParam('user')], responses: { '200': { description: 'the user', schema: { type: 'object', properties: { user: ref('User') } } } }, errors: [404] },
  {
    method: 'patch',
    path: '/api/users/:id',
    operationId: 'updateUser',
    tag: 'accounts',
    summary: "Change a user's role, disable or enable them, or set a new password (admins); disabling or a new password ends their sessions",
    parameters: [idParam('user')],
    body: { description: 'what changes', schema: { type: 'object', additionalProperties: false, properties: { role: { enum: [...ROLES] }, disabled: { type: 'boolean' }, password: { type: 'string' } } } },
    responses: { '200': { description: 'the user after the change', schema: { type: 'object', properties: { user: ref('User') } } } },
    errors: [404, 409, 422],
  },
  {
    method: 'delete',
    path: '/api/users/:id',
    operationId: 'deleteUser',
    tag: 'accounts',
    summary: 'Delete a user with their tokens and sessions (admins); the last enabled admin cannot be removed (409)',
    parameters: [idParam('user')],
    responses: { '200': { description: 'deleted', schema: { type: 'object', properties: { deleted: { const: true } } } } },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/tokens',
    operationId: 'listTokens',
    tag: 'accounts',
    summary: "API tokens: one's own, or (admins) another user's with `user=ID` or everyone's with `user=all`",
    parameters: [query('user', 'a user id, or `all` (admins)')],
    responses: { '200': { description: 'the tokens, newest first; never their secrets', schema: { type: 'object', properties: { items: { type: 'array', items: ref('ApiToken') } } } } },
    errors: [422],
  },
  {
    method: 'post',
    path: '/api/tokens',
    operationId: 'createToken',
    tag: 'accounts',
    summary: 'Make an API token; its secret is in this response only (the server keeps its SHA-256)',
    body: {
      description: 'the token',
      schema: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: str('what it is for'), expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 }, userId: str('admins: for another user') } },
    },
    responses: { '201': { description: 'the token and its secret', schema: { type: 'object', properties: { token: ref('ApiToken'), secret: str('send as Authorization: Bearer <secret>'), note: { type: 'string' } } } } },
    errors: [404, 422],
  },
  {
    method: 'delete',
    path: '/api/tokens/:id',
    operationId: 'revokeToken',
    tag: 'accounts',
    summary: "Revoke a token: one's own, or any (admins)",
    parameters: [idParam('token')],
    responses: { '200': { description: 'the revoked token', schema: { type: 'object', properties: { token: ref('ApiToken') } } } },
    errors: [404, 409],
  },
  {
    method: 'get',
    path: '/api/audit',
    operationId: 'listAudit',
    tag: 'accounts',
    summary: 'The audit log, newest first (admins): every change and every sign-in, successful or not',
    parameters: [limitParam, cursorParam, query('action', 'only this action, e.g. `auth.login_failed` or `incident.edit`'), query('actor', 'only this user id')],
    responses: { '200': { description: 'a page of entries', schema: list('AuditEntry') } },
    errors: [422],
  },
];

const ACCESS_TEXT: Record<AccessLevel, string> = {
  public: 'anyone',
  read: 'any signed-in user; anyone when reads are open',
  signed_in: 'any signed-in user',
  write: 'analysts and admins',
  admin: 'admins',
};

const ERROR_TEXT: Record<number, string> = {
  400: 'unsupported request',
  401: 'not signed in, or a bad token (`unauthorised`)',
  403: 'signed in without the role needed (`forbidden`), or a cookie-authenticated change without its CSRF token (`csrf`)',
  404: 'no such record or route (`not_found`)',
  409: 'conflicts with the current state: a stale revision, a taken name, the last admin (`conflict`)',
  422: 'bad parameters or body; `field` names the culprit (`bad_input`)',
  429: 'too many requests (`rate_limited`); the Retry-After header says how many seconds to wait',
  503: 'the database cannot be reached (`store`)',
};

/** `/api/incidents/:id` → `/api/incidents/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** The access level the policy gives an operation. */
function accessOf(op: OperationSpec): AccessLevel {
  return ruleFor(op.method.toUpperCase(), op.path)?.access ?? (op.method === 'get' ? 'read' : 'write');
}

function operationObject(op: OperationSpec, settings: AccessSettings): Schema {
  const access = accessOf(op);
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    responses[status] = { description: response.description, content: { [response.contentType ?? 'application/json']: { schema: response.schema ?? {} } } };
  }
  const errors = new Set(op.errors ?? []);
  errors.add(429);
  errors.add(503);
  if (access !== 'public') errors.add(401);
  if (access === 'write' || access === 'admin' || op.method !== 'get') errors.add(403);
  for (const status of [...errors].sort((a, b) => a - b)) {
    const key = String(status);
    if (responses[key] !== undefined) continue;
    responses[key] = {
      description: ERROR_TEXT[status] ?? 'error',
      content: { 'application/json': { schema: ref('Error') } },
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } } : {}),
    };
  }
  const credentials = [{ bearerToken: [] }, { sessionCookie: [] }];
  const security = access === 'public' ? [] : access === 'read' && settings.openReads ? [...credentials, {}] : credentials;
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `Who may call it: ${ACCESS_TEXT[access]}.`].filter((s) => s !== undefined).join('\n\n'),
    ...(op.parameters === undefined ? {} : { parameters: op.parameters }),
    ...(op.body === undefined ? {} : { requestBody: { required: true, description: op.body.description, content: { 'application/json': { schema: op.body.schema } } } }),
    responses,
    security,
    'x-vigil-access': access,
  };
}

/** A route as Hono lists it. */
export interface RegisteredRoute {
  method: string;
  path: string;
}

/** The API routes an app registered: concrete methods under /api, not middleware or the fallback. */
export function apiRoutes(app: Hono): RegisteredRoute[] {
  const seen = new Set<string>();
  const routes: RegisteredRoute[] = [];
  for (const route of app.routes) {
    if (route.method === 'ALL' || !route.path.startsWith('/api/') || route.path.includes('*')) continue;
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: route.method, path: route.path });
  }
  return routes;
}

/**
 * The OpenAPI 3.1 document of the routes the app registered. A registered route this file does not
 * describe is listed with a bare summary (and test/api/openapi.test.ts fails until it is described).
 */
export function openApiDocument(routes: readonly RegisteredRoute[], settings: AccessSettings): Schema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const method = route.method.toLowerCase();
    const op = OPERATIONS.find((o) => o.method === method && o.path === route.path);
    const spec: OperationSpec = op ?? { method: method as OperationSpec['method'], path: route.path, operationId: `${method}${route.path.replace(/[^A-Za-z0-9]+/g, '_')}`, tag: 'undescribed', summary: 'not described yet', responses: { '200': { description: 'ok' } } };
    const path = openApiPath(route.path);
    const pathParams = [...route.path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
    const object = operationObject(spec, settings);
    if (op === undefined && pathParams.length > 0) object['parameters'] = pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    (paths[path] ??= {})[method] = object;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: '0.1.0',
      summary: 'Incidents of terrorism and political violence, each field with its evidence',
      description: [
        'Credentials: an API token as `Authorization: Bearer vgt_…` (make one with `vigil tokens create` or POST /api/tokens), or the session cookie of POST /api/auth/login; changes made with the cookie also send the `X-CSRF-Token` header.',
        `Roles: ${ROLES.join(', ')}. Viewers read; analysts and admins also change incidents; admins manage accounts and read the audit log. Reads are ${settings.openReads ? 'open to anyone on this server (VIGIL_OPEN_READS)' : 'for signed-in users only on this server'}.`,
        `Rate limit: ${settings.rateLimitPerMinute === 0 ? 'off' : `${settings.rateLimitPerMinute} requests a minute per token, user or address`}; sign-in ${settings.loginRateLimitPerMinute} attempts a minute per address. Over the limit: 429 with Retry-After.`,
        'Errors are JSON `{"error": {"code", "message", "field"}}`.',
      ].join('\n\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'service', description: 'health and this description' },
      { name: 'incidents', description: 'what happened, where, by whom' },
      { name: 'review', description: "analysts' changes: each a revision, each undoable" },
      { name: 'places', description: 'the gazetteer' },
      { name: 'sources', description: 'feeds, folders and channel exports polled on a schedule' },
      { name: 'alerts', description: 'alert rules and the alerts they fired' },
      { name: 'accounts', description: 'sign-in, users, tokens and the audit log' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'an API token, `vgt_` and 43 characters' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: settings.secureCookies ? '__Host-vigil_session' : 'vigil_session', description: 'the session of POST /api/auth/login; changes also need X-CSRF-Token' },
      },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: ref('ErrorDetail') } },
        ErrorDetail: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { enum: [...ERROR_CODES], description: `HTTP status by code: ${ERROR_CODES.map((code) => `${code} ${STATUS_OF[code]}`).join(', ')}` },
            message: { type: 'string' },
            field: { type: 'string', description: 'the parameter or body field at fault' },
          },
        },
        User: {
          type: 'object',
          required: ['id', 'name', 'role', 'disabled', 'createdAt', 'updatedAt'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, role: { enum: [...ROLES] }, disabled: { type: 'boolean' }, createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' } },
        },
        ApiToken: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            userId: { type: 'string' },
            name: { type: 'string' },
            prefix: { type: 'string', description: 'the first characters of the secret' },
            createdAt: { type: 'string', format: 'date-time' },
            expiresAt: { type: ['string', 'null'], format: 'date-time' },
            lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'to the minute' },
            revokedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        AuditEntry: {
          type: 'object',
          properties: {
            seq: { type: 'integer' },
            at: { type: 'string', format: 'date-time' },
            actorId: { type: ['string', 'null'] },
            actorName: { type: 'string', description: 'a user name, `anonymous` or `system:cli`' },
            action: { type: 'string', description: 'auth.login, auth.login_failed, auth.logout, user.create, user.update, user.delete, token.create, token.revoke, incident.edit, …' },
            target: { type: ['string', 'null'] },
            outcome: { enum: ['ok', 'denied', 'failed'] },
            ip: { type: ['string', 'null'] },
            detail: { type: ['object', 'null'] },
          },
        },
        Incident: modelSchema(IncidentSchema),
        Mention: modelSchema(MentionSchema),
        Document: modelSchema(DocumentSchema),
        Revision: modelSchema(RevisionSchema),
        Link: modelSchema(LinkSchema),
      },
    },
    'x-vigil-access-levels': Object.fromEntries(ACCESS_LEVELS.map((level) => [level, ACCESS_TEXT[level]])),
  };
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Inline code in descriptions (`like this`) as <code>, everything else escaped. */
function prose(text: string): string {
  return text
    .split('\n\n')
    .map((para) => `<p>${escape(para).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
}

function schemaText(schema: unknown): string {
  return `<pre>${escape(JSON.stringify(schema, null, 2))}</pre>`;
}

/** A self-contained HTML page of the document: no scripts, no fonts or styles from elsewhere. */
export function docsPage(doc: Schema): string {
  const info = doc['info'] as { title: string; version: string; description: string };
  const paths = doc['paths'] as Record<string, Record<string, Record<string, unknown>>>;
  const tagOrder = ((doc['tags'] as { name: string }[] | undefined) ?? []).map((t) => t.name);
  const rank = (op: Record<string, unknown>) => {
    const n = tagOrder.indexOf(((op['tags'] as string[] | undefined) ?? [])[0] ?? '');
    return n === -1 ? tagOrder.length : n;
  };
  const ops = Object.entries(paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
    .map((entry, n) => ({ ...entry, n }))
    .sort((a, b) => rank(a.op) - rank(b.op) || a.n - b.n);
  const anchor = (method: string, path: string) => `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const toc = ops
    .map(({ path, method, op }) => `<li><a href="#${anchor(method, path)}"><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></a> ${escape(String(op['summary']))}</li>`)
    .join('\n');
  const sections = ops
    .map(({ path, method, op }) => {
      const params = (op['parameters'] as Parameter[] | undefined) ?? [];
      const paramRows = params
        .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${p.required === true ? 'yes' : ''}</td><td>${escape(p.description ?? '')}</td></tr>`)
        .join('');
      const body = op['requestBody'] as { description: string; content: Record<string, { schema: unknown }> } | undefined;
      const responses = Object.entries(op['responses'] as Record<string, { description: string; content?: Record<string, { schema: unknown }> }>)
        .map(([status, r]) => {
          const schema = r.content === undefined ? undefined : Object.values(r.content)[0]?.schema;
          const detail = status.startsWith('2') && schema !== undefined ? `<details><summary>schema</summary>${schemaText(schema)}</details>` : '';
          return `<li><b>${status}</b> ${escape(r.description)}${detail}</li>`;
        })
        .join('');
      return `<section id="${anchor(method, path)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
${prose(String(op['summary']))}
${prose(String(op['description'] ?? ''))}
${params.length === 0 ? '' : `<table><tr><th>parameter</th><th>in</th><th>required</th><th>meaning</th></tr>${paramRows}</table>`}
${body === undefined ? '' : `<p>Body (JSON): ${escape(body.description)}</p>${schemaText(body.content['application/json']?.schema)}`}
<ul class="responses">${responses}</ul>
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)} ${escape(info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2430}
code,pre{font:13px/1.4 ui-monospace,monospace;background:#f2f4f7;border-radius:3px}code{padding:0 .2em}pre{padding:.6em;overflow:auto;max-height:24rem}
section{border-top:1px solid #d0d5dd;padding-top:.5rem;margin-top:1.5rem}table{border-collapse:collapse}td,th{border:1px solid #d0d5dd;padding:.2em .5em;text-align:left;vertical-align:top}
.m{display:inline-block;min-width:4.5em;font:bold 12px ui-monospace,monospace;padding:.1em .4em;border-radius:3px;color:#fff;background:#475467}.get{background:#1570ef}.post{background:#079455}.patch{background:#dc6803}.delete{background:#d92d20}
ul{padding-left:1.2rem}
</style></head><body>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1>
${prose(info.description)}
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Routes</h2><ul>${toc}</ul>
<h2>Details</h2>
${sections}
</body></html>`;
}

/** Content-Security-Policy of the docs page: nothing runs and nothing loads. */
const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * GET /api/openapi.json and GET /api/docs. The document describes the routes registered when it is
 * first asked for, so register this before or after the other routes alike.
 */
export function registerDocsRoutes(app: Hono, settings: AccessSettings): void {
  let doc: Schema | undefined;
  const document = () => (doc ??= openApiDocument(apiRoutes(app), settings));
  app.get('/api/openapi.json', (c) => c.json(document()));
  app.get('/api/docs', (c) => c.html(docsPage(document()), 200, { 'content-security-policy': DOCS_CSP, 'referrer-policy': 'no-referrer' }));
}
