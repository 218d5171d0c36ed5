import { describe, expect, it } from 'vitest';
import { emptyMentionFields, type Incident, type Mention, type MentionFields } from '../../src/core/model.js';
import { exportFields, originRows, rowNarrative } from '../../src/export/records.js';
import { fieldsFromMention } from '../../src/resolve/incident-fields.js';

const coded = <T>(value: T) => ({ value, evidence: [{ start: 0, end: 3 }], confidence: 0.8 });

function mention(id: string, fill: (f: MentionFields) => void): Mention {
  const fields = emptyMentionFields();
  fill(fields);
  return { id, documentId: id.replace('m', 'd').padEnd(64, '0'), extractor: 'test@1', span: { start: 0, end: 3 }, fields, confidence: 0.8, createdAt: '2031-01-01T00:00:00.000Z' };
}

function incidentOf(mentions: Mention[], edit: (i: Incident) => void = () => undefined): Incident {
  const first = mentions[0]!;
  const incident: Incident = {
    id: 'i_1',
    status: 'machine',
    fields: fieldsFromMention(first.fields),
    mentionIds: mentions.map((m) => m.id),
    relatedIncidentIds: [],
    revision: 1,
    createdAt: '2031-01-01T00:00:00.000Z',
    updatedAt: '2031-01-01T00:00:00.000Z',
  };
  edit(incident);
  return incident;
}

const bombing = mention('m1', (f) => {
  f.date = coded({ start: '2031-02-01', end: '2031-02-01', precision: 'day' as const });
  f.attackTypes = [coded('bombing' as const)];
  f.targetTypes = [coded('police' as const), coded('police' as const)];
  f.targets = [coded({ text: 'a police post', type: 'police' }), coded({ text: 'a patrol', type: 'police' })];
  f.weapons = [coded({ text: 'a car bomb', type: 'explosives' })];
  f.weaponTypes = [coded('explosives' as const)];
  f.hostages = coded({ low: 2, best: 2, high: null, kind: 'reported' as const });
  f.killed = coded({ low: 3, best: 3, high: null, kind: 'reported' as const });
});

describe('exportFields', () => {
  it('writes an incident made from one mention, never edited, from that mention', () => {
    const fields = exportFields({ incident: incidentOf([bombing]), mentions: [bombing], documents: [] });
    expect(fields).toBe(bombing.fields);
  });

  it('writes an edited incident from its fields, with the texts of the types it still has', () => {
    const incident = incidentOf([bombing], (i) => {
      i.fields.killed = { low: 4, best: 5, high: 9 };
      i.fields.weaponTypes = [];
      i.fields.claimedWounded = { low: 10, best: 10, high: null };
      i.revision = 2;
    });
    const fields = exportFields({ incident, mentions: [bombing], documents: [] });
    expect(fields.killed?.value).toEqual({ low: 4, best: 5, high: 9, kind: 'reported' });
    expect(fields.wounded?.value).toEqual({ low: 10, best: 10, high: null, kind: 'claimed' });
    expect(fields.targetTypes.map((f) => f.value)).toEqual(['police']);
    expect(fields.targets.map((f) => f.value.text)).toEqual(['a police post', 'a patrol']);
    expect(fields.weapons).toEqual([]);
    expect(fields.hostages?.value.best).toBe(2);
  });

  it('writes an incident linked from several reports from its fields, with the texts of all of them once', () => {
    const second = mention('m2', (f) => {
      f.targetTypes = [coded('police' as const)];
      f.targets = [coded({ text: 'a patrol', type: 'police' }), coded({ text: 'the station', type: 'police' })];
    });
    const fields = exportFields({ incident: incidentOf([bombing, second]), mentions: [bombing, second], documents: [] });
    expect(fields.targets.map((f) => f.value.text)).toEqual(['a police post', 'a patrol', 'the station']);
    expect(fields.date?.value.start).toBe('2031-02-01');
  });
});

describe('originRows', () => {
  it('finds the dataset rows among the documents, with their narrative', () => {
    const document = {
      id: 'd'.repeat(64),
      sourceId: 's_1',
      externalId: 'acled:NIG1',
      url: null,
      title: 'ACLED NIG1',
      text: 'x',
      language: null,
      publishedAt: null,
      fetchedAt: '2031-01-01T00:00:00.000Z',
      kind: 'dataset_row' as const,
      raw: 'acled.csv:2\n{"event_id_cnty":"NIG1","notes":"  Invented notes.  "}',
    };
    const article = { ...document, id: 'e'.repeat(64), externalId: 'report-1', kind: 'article' as const, raw: null };
    const rows = originRows({ incident: incidentOf([bombing]), mentions: [], documents: [article, document] });
    expect(rows.map((r) => [r.dataset, r.rowId, rowNarrative(r)])).toEqual([['acled', 'NIG1', 'Invented notes.']]);
  });
});
