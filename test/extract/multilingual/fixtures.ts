import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MentionFields } from '../../../src/core/model.js';

/** One hand-written multilingual test text and what extraction should find in it. */
export interface Fixture {
  readonly file: string;
  readonly id: string;
  readonly language: string;
  readonly kind?: 'claim';
  readonly published: string;
  readonly text: string;
  readonly expected: {
    readonly date: string | null;
    readonly place: Readonly<Record<string, string>> | null;
    readonly group: string | null;
    readonly attribution?: string;
    readonly killed: number | null;
    readonly wounded: number | null;
    readonly countKind?: 'claimed';
  };
}

export const FIXTURE_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'multilingual');

export function readFixtures(file: string): Fixture[] {
  return readFileSync(join(FIXTURE_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ({ file, ...(JSON.parse(l) as Omit<Fixture, 'file'>) }));
}

export function allFixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.jsonl')).sort();
}

/** Every evidence span of every field: inside the text, non-empty, not blank. Returns the faults. */
export function evidenceFaults(text: string, fields: MentionFields): string[] {
  const faults: string[] = [];
  const check = (name: string, evidence: readonly { start: number; end: number }[]): void => {
    if (evidence.length === 0) faults.push(`${name}: no evidence`);
    for (const e of evidence) {
      if (e.start < 0 || e.end > text.length || e.end <= e.start) faults.push(`${name}: span ${e.start}-${e.end} outside the text`);
      else if (text.slice(e.start, e.end).trim() === '') faults.push(`${name}: blank span`);
    }
  };
  for (const key of ['date', 'location', 'killed', 'wounded', 'suicide', 'perpetratorsKilled', 'hostages'] as const) {
    const f = fields[key];
    if (f !== undefined) check(key, f.evidence);
  }
  for (const key of ['perpetrators', 'attackTypes', 'targetTypes', 'weaponTypes', 'victims', 'targets', 'weapons', 'perpetratorMentions'] as const) {
    fields[key].forEach((f, i) => check(`${key}[${i}]`, f.evidence));
  }
  return faults;
}
