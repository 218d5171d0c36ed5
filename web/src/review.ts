import './styles.css';
import type { Incident, Mention, Range } from '../../src/core/model.js';
import { ApiError, fetchIncidentDetail, fetchIncidentPage, postJson, type IncidentDetail } from './api-client.js';
import { byId, el } from './dom.js';
import { incidentTitle } from './incident-detail.js';
import { formatDateRange, formatPlaceName, formatRange } from './format.js';
import { ATTRIBUTION_LABELS, codeLabel } from './labels.js';
import { initAccount } from './session.js';

/** What a review write answers: the incidents it changed, as they are now. */
interface ReviewAnswer {
  incidents: Incident[];
}

/** The message for a 409: the analyst saw an older revision than the stored one. */
export const CONFLICT_MESSAGE = 'Someone changed this incident; reload.';

/** The fields the edit form offers, with how their value is typed. */
const EDITABLE: ReadonlyArray<readonly [string, 'text' | 'range' | 'json']> = [
  ['title', 'text'],
  ['killed', 'range'],
  ['wounded', 'range'],
  ['claimedKilled', 'range'],
  ['claimedWounded', 'range'],
  ['attackTypes', 'json'],
  ['targetTypes', 'json'],
  ['weaponTypes', 'json'],
  ['perpetrators', 'json'],
  ['date', 'json'],
  ['location', 'json'],
  ['suicide', 'json'],
];

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['j / k', 'next / previous incident'],
  ['x', 'select the incident for a merge'],
  ['a', 'accept: mark reviewed'],
  ['e', 'edit a field'],
  ['m', 'merge the selected incidents into the current one'],
  ['s', 'split reports off the incident'],
  ['r', 'reject'],
  ['u', 'undo your last change'],
  ['?', 'this help'],
];

const root = byId('review', HTMLElement);
const status = byId('status', HTMLElement);
const dialog = byId('dialog', HTMLDialogElement);

let queue: Incident[] = [];
let cursor = 0;
const selected = new Set<string>();
let detail: IncidentDetail | null = null;
/** The incident and revision of the last change made here, for undo. */
let lastChange: { id: string; revision: number; what: string } | null = null;
let canChange = false;
let busy = false;

void initAccount(byId('account', HTMLElement), (me) => {
  canChange = me.can.change;
  void loadQueue();
}).then((me) => {
  canChange = me.can.change;
  void loadQueue();
});

document.addEventListener('keydown', (event) => {
  if (dialog.open || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
  const action = ({ j: () => move(1), k: () => move(-1), '?': () => showHelp() } as Record<string, (() => void) | undefined>)[event.key];
  const write = canChange
    ? ({ x: () => toggleSelected(), a: () => void accept(), e: () => void edit(), m: () => void merge(), s: () => void split(), r: () => void reject(), u: () => void undo() } as Record<string, (() => void) | undefined>)[event.key]
    : undefined;
  const run = action ?? write;
  if (run === undefined) return;
  event.preventDefault();
  run();
});

function say(message: string, options: { error?: boolean; reload?: boolean } = {}): void {
  const reload = options.reload === true ? el('button', { type: 'button', class: 'link-button dark', 'data-testid': 'reload' }, 'Reload') : null;
  reload?.addEventListener('click', () => void loadQueue());
  status.replaceChildren(el('span', { class: options.error === true ? 'error' : '', 'data-testid': options.error === true ? 'review-error' : 'review-message' }, message), reload ?? '');
}

async function loadQueue(): Promise<void> {
  if (!canChange) {
    root.replaceChildren(
      el('div', { class: 'message-view' }, el('p', { 'data-testid': 'review-denied' }, 'The review queue is for analysts. Sign in with an analyst or admin account to review machine-made incidents.')),
    );
    return;
  }
  try {
    const page = await fetchIncidentPage({ status: 'machine', limit: 200 });
    queue = page.items;
    for (const id of [...selected]) if (!queue.some((item) => item.id === id)) selected.delete(id);
    cursor = Math.min(cursor, Math.max(0, queue.length - 1));
    await showCurrent();
  } catch (error) {
    say(error instanceof ApiError ? error.message : `Could not load the queue: ${String(error)}`, { error: true });
  }
}

function move(step: number): void {
  if (queue.length === 0) return;
  cursor = Math.min(queue.length - 1, Math.max(0, cursor + step));
  void showCurrent();
}

function toggleSelected(): void {
  const current = queue[cursor];
  if (current === undefined) return;
  if (selected.has(current.id)) selected.delete(current.id);
  else selected.add(current.id);
  render();
}

async function showCurrent(): Promise<void> {
  const current = queue[cursor];
  detail = null;
  render();
  if (current === undefined) return;
  try {
    const loaded = await fetchIncidentDetail(current.id);
    if (queue[cursor]?.id !== current.id) return;
    detail = loaded;
    render();
  } catch (error) {
    say(error instanceof ApiError ? error.message : String(error), { error: true });
  }
}

function render(): void {
  const list = el(
    'ol',
    { class: 'queue', 'data-testid': 'queue', 'aria-label': 'Incidents awaiting review' },
    ...queue.map((incident, index) => {
      const box = el('input', { type: 'checkbox', 'aria-label': 'Select for a merge', 'data-testid': 'queue-select' });
      box.checked = selected.has(incident.id);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(incident.id);
        else selected.delete(incident.id);
        render();
      });
      const open = el(
        'button',
        { type: 'button', class: 'queue-open' },
        el('span', { class: 'item-title' }, incidentTitle(incident.fields)),
        el('span', { class: 'item-meta' }, [incident.fields.date === null ? 'date unknown' : formatDateRange(incident.fields.date), incident.fields.location === null ? 'place unknown' : formatPlaceName(incident.fields.location), `${incident.mentionIds.length} report${incident.mentionIds.length === 1 ? '' : 's'}`].join(' · ')),
      );
      open.addEventListener('click', () => {
        cursor = index;
        void showCurrent();
      });
      return el(
        'li',
        { class: index === cursor ? 'current' : '', 'data-testid': 'queue-item', 'data-incident-id': incident.id, 'aria-current': index === cursor ? 'true' : undefined },
        box,
        open,
      );
    }),
  );
  const side = el(
    'section',
    { class: 'queue-side' },
    el('h2', {}, queue.length === 1 ? '1 incident to review' : `${queue.length} incidents to review`),
    selected.size === 0 ? null : el('p', { class: 'muted', 'data-testid': 'selected-count' }, `${selected.size} selected for a merge`),
    queue.length === 0 ? el('p', { class: 'muted', 'data-testid': 'queue-empty' }, 'Nothing is waiting: every machine-made incident has been reviewed.') : list,
  );
  root.replaceChildren(side, renderCurrent());
  root.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
}

function button(label: string, key: string, testId: string, action: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { type: 'button', 'data-testid': testId, 'aria-keyshortcuts': key, title: `${label} (${key})` }, label, el('kbd', {}, key));
  b.disabled = disabled || busy;
  b.addEventListener('click', action);
  return b;
}

function renderCurrent(): HTMLElement {
  const current = queue[cursor];
  if (current === undefined) return el('section', { class: 'review-current' }, el('p', { class: 'muted' }, lastChange === null ? '' : `Last change: ${lastChange.what}.`), lastChange === null ? null : button('Undo', 'u', 'action-undo', () => void undo()));
  const actions = el(
    'div',
    { class: 'review-actions', role: 'toolbar', 'aria-label': 'Review actions' },
    button('Accept', 'a', 'action-accept', () => void accept()),
    button('Edit', 'e', 'action-edit', () => void edit()),
    button('Merge', 'm', 'action-merge', () => void merge(), selected.size === 0 || (selected.size === 1 && selected.has(current.id))),
    button('Split', 's', 'action-split', () => void split(), current.mentionIds.length < 2),
    button('Reject', 'r', 'action-reject', () => void reject()),
    button('Undo', 'u', 'action-undo', () => void undo(), lastChange === null),
    button('Help', '?', 'action-help', () => showHelp()),
  );
  return el(
    'section',
    { class: 'review-current', 'data-testid': 'review-current', 'data-incident-id': current.id, 'data-revision': String(current.revision) },
    el('h2', { 'data-testid': 'review-title' }, incidentTitle(current.fields)),
    el('p', { class: 'muted' }, `Revision ${current.revision} · `, el('a', { href: `./?incident=${encodeURIComponent(current.id)}` }, 'open on the map with its evidence')),
    actions,
    detail === null ? el('p', { class: 'muted' }, 'Loading its reports…') : renderComparison(detail),
  );
}

function rangeText(range: Range | null | undefined): string {
  return range === null || range === undefined ? '—' : formatRange(range);
}

/** The reports of an incident side by side, one column each, so that disagreements show. */
function renderComparison(current: IncidentDetail): HTMLElement {
  const mentions = current.mentions;
  const titleOf = (mention: Mention): string => current.documents.find((d) => d.id === mention.documentId)?.title ?? 'Untitled report';
  const rows: ReadonlyArray<readonly [string, (m: Mention) => string, string]> = [
    ['Date', (m) => (m.fields.date === undefined ? '—' : formatDateRange(m.fields.date.value)), current.incident.fields.date === null ? '—' : formatDateRange(current.incident.fields.date)],
    ['Place', (m) => (m.fields.location === undefined ? '—' : formatPlaceName(m.fields.location.value)), current.incident.fields.location === null ? '—' : formatPlaceName(current.incident.fields.location)],
    [
      'Perpetrators',
      (m) => m.fields.perpetrators.map((p) => `${p.value.name} (${ATTRIBUTION_LABELS[p.value.attribution]})`).join(', ') || '—',
      current.incident.fields.perpetrators.map((p) => `${p.name} (${ATTRIBUTION_LABELS[p.attribution]})`).join(', ') || '—',
    ],
    ['Attack type', (m) => m.fields.attackTypes.map((a) => codeLabel(a.value)).join(', ') || '—', current.incident.fields.attackTypes.map(codeLabel).join(', ') || '—'],
    ['Killed', (m) => (m.fields.killed === undefined ? '—' : `${rangeText(m.fields.killed.value)} ${m.fields.killed.value.kind}`), rangeText(current.incident.fields.killed)],
    ['Wounded', (m) => (m.fields.wounded === undefined ? '—' : `${rangeText(m.fields.wounded.value)} ${m.fields.wounded.value.kind}`), rangeText(current.incident.fields.wounded)],
  ];
  return el(
    'table',
    { class: 'comparison', 'data-testid': 'comparison' },
    el('caption', {}, 'The incident and each report, side by side (differing values are marked)'),
    el('tr', {}, el('th', { scope: 'col' }, ''), el('th', { scope: 'col' }, 'Incident'), ...mentions.map((m) => el('th', { scope: 'col', 'data-testid': 'comparison-report' }, titleOf(m)))),
    ...rows.map(([label, of, incidentValue]) => {
      const values = mentions.map(of);
      const differ = new Set(values.filter((v) => v !== '—')).size > 1;
      return el('tr', { class: differ ? 'differ' : '', 'data-testid': `compare-${label.toLowerCase().replace(/ /g, '-')}` }, el('th', { scope: 'row' }, label), el('td', {}, incidentValue), ...values.map((v) => el('td', {}, v)));
    }),
  );
}

/** Opens the dialog with a form; resolves with its data, or null when cancelled. */
function ask(title: string, body: Node[], submitLabel: string): Promise<FormData | null> {
  const reason = el('textarea', { name: 'reason', rows: '2', required: '', 'data-testid': 'dialog-reason', maxlength: '2000' });
  const cancel = el('button', { type: 'button', 'data-testid': 'dialog-cancel' }, 'Cancel');
  const form = el(
    'form',
    { method: 'dialog', 'data-testid': 'dialog-form' },
    el('h2', {}, title),
    ...body,
    el('label', { class: 'stack' }, el('span', {}, 'Reason (kept in the history)'), reason),
    el('p', { class: 'dialog-error', role: 'alert', 'data-testid': 'dialog-error' }),
    el('div', { class: 'dialog-buttons' }, cancel, el('button', { type: 'submit', 'data-testid': 'dialog-submit' }, submitLabel)),
  );
  dialog.replaceChildren(form);
  dialog.showModal();
  (form.querySelector<HTMLElement>('input, select, textarea') ?? reason).focus();
  return new Promise((resolve) => {
    cancel.addEventListener('click', () => {
      dialog.close();
      resolve(null);
    });
    dialog.addEventListener('cancel', () => resolve(null), { once: true });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      const data = new FormData(form);
      dialog.close();
      resolve(data);
    });
  });
}

/** Sends a write; on success reloads the queue and remembers the change for undo. */
async function write(path: string, body: unknown, what: string, undoTarget: (answer: ReviewAnswer) => Incident | undefined): Promise<void> {
  busy = true;
  try {
    const answer = await postJson<ReviewAnswer>(path, body);
    const target = undoTarget(answer);
    lastChange = target === undefined ? null : { id: target.id, revision: target.revision, what };
    say(`Done: ${what}.`);
    await loadQueue();
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) say(CONFLICT_MESSAGE, { error: true, reload: true });
    else say(error instanceof ApiError ? error.message : String(error), { error: true });
  } finally {
    busy = false;
    render();
  }
}

async function accept(): Promise<void> {
  const current = queue[cursor];
  if (current === undefined) return;
  // Accepting changes only the status (machine → reviewed): no field is pinned, later reports still count.
  await write(
    `api/incidents/${encodeURIComponent(current.id)}/accept`,
    { revision: current.revision, reason: 'Accepted in the review queue' },
    `accepted “${incidentTitle(current.fields)}”`,
    (answer) => answer.incidents.find((item) => item.id === current.id),
  );
}

async function edit(): Promise<void> {
  const current = queue[cursor];
  if (current === undefined) return;
  const field = el('select', { name: 'field', 'data-testid': 'edit-field' }, ...EDITABLE.map(([name]) => el('option', { value: name }, name)));
  const slot = el('div', { class: 'edit-value' });
  const fill = (): void => {
    const [name, kind] = EDITABLE.find(([n]) => n === field.value) ?? ['title', 'text'];
    const value = (current.fields as Record<string, unknown>)[name] ?? null;
    if (kind === 'text') {
      const input = el('input', { type: 'text', name: 'text', 'data-testid': 'edit-text' });
      input.value = typeof value === 'string' ? value : '';
      slot.replaceChildren(el('label', { class: 'stack' }, el('span', {}, 'Value'), input));
    } else if (kind === 'range') {
      const range = (value ?? { low: null, best: null, high: null }) as Range;
      slot.replaceChildren(
        ...(['low', 'best', 'high'] as const).map((part) => {
          const input = el('input', { type: 'number', min: '0', step: '1', name: part, 'data-testid': `edit-${part}` });
          input.value = range[part] === null ? '' : String(range[part]);
          return el('label', { class: 'stack inline' }, el('span', {}, part), input);
        }),
      );
    } else {
      const area = el('textarea', { name: 'json', rows: '5', 'data-testid': 'edit-json', spellcheck: 'false' });
      area.value = JSON.stringify(value, null, 2);
      slot.replaceChildren(el('label', { class: 'stack' }, el('span', {}, 'Value (JSON)'), area));
    }
  };
  field.addEventListener('change', fill);
  fill();
  const data = await ask('Edit a field', [el('label', { class: 'stack' }, el('span', {}, 'Field'), field), slot], 'Save');
  if (data === null) return;
  const name = String(data.get('field'));
  const kind = EDITABLE.find(([n]) => n === name)?.[1] ?? 'json';
  let value: unknown;
  if (kind === 'text') value = String(data.get('text') ?? '');
  else if (kind === 'range') {
    const number = (part: string): number | null => {
      const raw = String(data.get(part) ?? '').trim();
      return raw === '' ? null : Number(raw);
    };
    value = { low: number('low'), best: number('best'), high: number('high') };
  } else {
    try {
      value = JSON.parse(String(data.get('json') ?? 'null'));
    } catch {
      say(`The value of ${name} is not valid JSON.`, { error: true });
      return;
    }
  }
  await write(
    `api/incidents/${encodeURIComponent(current.id)}/edit`,
    { revision: current.revision, field: name, value, reason: String(data.get('reason')) },
    `edited ${name} of “${incidentTitle(current.fields)}”`,
    (answer) => answer.incidents.find((item) => item.id === current.id),
  );
}

async function merge(): Promise<void> {
  const current = queue[cursor];
  if (current === undefined) return;
  const others = queue.filter((item) => selected.has(item.id) && item.id !== current.id);
  if (others.length === 0) {
    say('Select at least one other incident (x) to merge into this one.', { error: true });
    return;
  }
  const data = await ask(
    'Merge incidents',
    [el('p', {}, `Keep “${incidentTitle(current.fields)}” and move into it the reports of:`), el('ul', {}, ...others.map((o) => el('li', {}, incidentTitle(o.fields))))],
    'Merge',
  );
  if (data === null) return;
  await write(
    'api/incidents/merge',
    { survivor: { id: current.id, revision: current.revision }, absorbed: others.map((o) => ({ id: o.id, revision: o.revision })), reason: String(data.get('reason')) },
    `merged ${others.length + 1} incidents`,
    (answer) => answer.incidents.find((item) => item.id === current.id),
  );
  selected.clear();
  render();
}

async function split(): Promise<void> {
  const current = queue[cursor];
  if (current === undefined || detail === null || detail.incident.id !== current.id) return;
  if (current.mentionIds.length < 2) {
    say('An incident made from one report cannot be split.', { error: true });
    return;
  }
  const titleOf = (mention: Mention): string => detail?.documents.find((d) => d.id === mention.documentId)?.title ?? mention.id;
  const boxes = detail.mentions.map((mention) =>
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'mention', value: mention.id, 'data-testid': 'split-mention' }), titleOf(mention)),
  );
  const data = await ask('Split reports off into a new incident', [el('p', {}, 'Choose the reports that describe another incident:'), ...boxes], 'Split');
  if (data === null) return;
  const mentionIds = data.getAll('mention').map(String);
  if (mentionIds.length === 0 || mentionIds.length === current.mentionIds.length) {
    say('Choose some of the reports, not none or all.', { error: true });
    return;
  }
  await write(
    `api/incidents/${encodeURIComponent(current.id)}/split`,
    { revision: current.revision, mentionIds, reason: String(data.get('reason')) },
    `split ${mentionIds.length} report(s) off “${incidentTitle(current.fields)}”`,
    (answer) => answer.incidents.find((item) => item.id === current.id),
  );
}

async function reject(): Promise<void> {
  const current = queue[cursor];
  if (current === undefined) return;
  const data = await ask('Reject this incident', [el('p', {}, `“${incidentTitle(current.fields)}” is not an attack, or is out of scope.`)], 'Reject');
  if (data === null) return;
  await write(
    `api/incidents/${encodeURIComponent(current.id)}/reject`,
    { revision: current.revision, reason: String(data.get('reason')) },
    `rejected “${incidentTitle(current.fields)}”`,
    (answer) => answer.incidents.find((item) => item.id === current.id),
  );
}

async function undo(): Promise<void> {
  if (lastChange === null) {
    say('Nothing to undo yet.', { error: true });
    return;
  }
  const change = lastChange;
  await write(`api/incidents/${encodeURIComponent(change.id)}/undo`, { revision: change.revision, reason: `Undo: ${change.what}` }, `undid: ${change.what}`, () => undefined);
}

function showHelp(): void {
  const close = el('button', { type: 'button', 'data-testid': 'dialog-cancel' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.replaceChildren(
    el('h2', {}, 'Keyboard shortcuts'),
    el('dl', { class: 'keys', 'data-testid': 'help' }, ...KEYS.flatMap(([key, what]) => [el('dt', {}, el('kbd', {}, key)), el('dd', {}, what)])),
    el('div', { class: 'dialog-buttons' }, close),
  );
  dialog.showModal();
  close.focus();
}
