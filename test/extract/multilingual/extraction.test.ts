import { describe, expect, it } from 'vitest';
import { MentionFieldsSchema } from '../../../src/core/model.js';
import { createExtractor } from '../../../src/extract/index.js';
import { evidenceFaults, readFixtures, type Fixture } from './fixtures.js';

const extractor = createExtractor();

function check(fx: Fixture, language: string | null, checkPlace = true): void {
  const incidents = extractor.extract({ text: fx.text, published: fx.published, language, kind: fx.kind ?? null });
  expect(incidents).toHaveLength(1);
  const incident = incidents[0];
  if (incident === undefined) return;
  const f = incident.fields;
  expect(() => MentionFieldsSchema.parse(f)).not.toThrow();
  expect(evidenceFaults(fx.text, f)).toEqual([]);
  const e = fx.expected;
  if (e.date === null) expect(f.date).toBeUndefined();
  else {
    expect(f.date).toBeDefined();
    const d = f.date?.value;
    expect(d !== undefined && d.start <= e.date && e.date <= d.end).toBe(true);
    expect((Date.parse(d?.end ?? '') - Date.parse(d?.start ?? '')) / 86_400_000).toBeLessThanOrEqual(1);
  }
  if (checkPlace) {
    if (e.place === null) expect(f.location).toBeUndefined();
    else expect(f.location?.value).toMatchObject(e.place);
  }
  if (e.group === null) expect(f.perpetrators).toEqual([]);
  else {
    expect(f.perpetrators[0]?.value.actorId).toBe(e.group);
    expect(f.perpetrators[0]?.value.attribution).toBe(e.attribution);
    // the evidence of the group names it in the text
    const span = f.perpetrators[0]?.evidence[0];
    expect(span).toBeDefined();
  }
  for (const key of ['killed', 'wounded'] as const) {
    const want = e[key];
    // no figure expected: none, or a vague one without a best figure ("several others")
    if (want === null) expect(f[key]?.value.best ?? null).toBeNull();
    else {
      expect(f[key]?.value.best).toBe(want);
      expect(f[key]?.value.kind).toBe(e.countKind ?? 'reported');
    }
  }
}

for (const file of ['ru.jsonl', 'ar.jsonl', 'fa.jsonl', 'tg.jsonl', 'uz.jsonl']) {
  describe(`multilingual extraction: ${file}`, () => {
    for (const fx of readFixtures(file)) {
      it(`${fx.id}: every field with the language given`, () => check(fx, fx.language));
      it(`${fx.id}: every field with the language detected`, () => check(fx, null));
    }
  });
}

describe('held-out texts (written after the rules were tuned; see docs/languages.md)', () => {
  for (const fx of [...readFixtures('holdout/holdout.jsonl'), ...readFixtures('holdout/holdout2.jsonl')]) {
    it(`${fx.id}: every field`, () => check(fx, null, fx.language !== 'en'));
  }
});

describe('claims (English and Arabic)', () => {
  for (const fx of readFixtures('claims.jsonl')) {
    // English place names resolve in the English extractor; claims are about group, attribution and figures
    it(`${fx.id}: the group claims with its own figures`, () => check(fx, null, fx.language !== 'en'));
  }

  it('a report about a claim keeps its figures as reported', () => {
    const text = 'A bomb killed 6 people and wounded 9 in Mosul on Monday. The Islamic State claimed responsibility for the attack.';
    const [incident] = extractor.extract({ text, published: '2025-03-11' });
    expect(incident?.fields.killed?.value).toMatchObject({ best: 6, kind: 'reported' });
    expect(incident?.fields.wounded?.value).toMatchObject({ best: 9, kind: 'reported' });
  });

  it('a Russian or Arabic report of a claim is claimed by the group but counted as reported', () => {
    const text = 'Вчера в Кабуле при взрыве погибли четыре человека. Ответственность взяла на себя группировка ИГИЛ.';
    const [incident] = extractor.extract({ text, published: '2025-03-11' });
    expect(incident?.fields.perpetrators[0]?.value).toMatchObject({ actorId: 'islamic-state', attribution: 'claimed' });
    expect(incident?.fields.killed?.value).toMatchObject({ best: 4, kind: 'reported' });
  });

  it('the document kind marks an English statement as a claim', () => {
    const text = 'The fighters of al-Shabaab attacked a base near Mogadishu on Monday and killed 5 soldiers.';
    const asReport = extractor.extract({ text, published: '2025-08-19' })[0];
    const asClaim = extractor.extract({ text, published: '2025-08-19', kind: 'claim' })[0];
    expect(asReport?.fields.killed?.value.kind).toBe('reported');
    expect(asClaim?.fields.killed?.value).toMatchObject({ best: 5, kind: 'claimed' });
    expect(asClaim?.fields.perpetrators[0]?.value).toMatchObject({ actorId: 'al-shabaab', attribution: 'claimed', attributedBy: 'Al-Shabaab' });
  });
});

describe('vague quantities', () => {
  it('reads "десятки" and "عشرات" as a lower bound without a best figure', () => {
    const ru = extractor.extract({ text: 'Вчера в Кабуле при взрыве ранены десятки человек.', published: '2025-03-11' })[0];
    expect(ru?.fields.wounded?.value).toEqual({ low: 24, best: null, high: null, kind: 'reported' });
    const ar = extractor.extract({ text: 'أصيب عشرات الأشخاص في انفجار بالموصل أمس.', published: '2025-03-11' })[0];
    expect(ar?.fields.wounded?.value).toEqual({ low: 24, best: null, high: null, kind: 'reported' });
  });
});

describe('texts without an incident', () => {
  it('a Russian text without attack or casualty words reports nothing', () => {
    expect(extractor.extract({ text: 'Вчера в Кабуле открылся новый рынок, сообщили местные власти.', published: '2025-03-11' })).toEqual([]);
  });
  it('an Arabic text without attack or casualty words reports nothing', () => {
    expect(extractor.extract({ text: 'افتتحت السلطات أمس مدرسة جديدة في مدينة الموصل.', published: '2025-03-11' })).toEqual([]);
  });
});
