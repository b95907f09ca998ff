import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, readCampaign, readGoals, readParties, readTerminology } from '../../src/content-files.ts';
import { LOCALES, telHref } from '../../src/domain/campaign.ts';
import { termRulesOf } from '../../src/domain/terminology-list.ts';
import { compileTerms, findTerms } from '../../src/domain/terminology.ts';

async function contentDirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-content-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('the campaign content in content/', () => {
  it('has a valid campaign file', async () => {
    const campaign = await readCampaign();
    expect(campaign.organiser.name).toBe('Terre des Hommes Nederland');
  });

  it('has the four goals of seed 003, numbered 1 to 4, in Dutch and English with the same slugs', async () => {
    const [nl, en] = await Promise.all(LOCALES.map((locale) => readGoals(locale)));
    expect(nl!.map((g) => g.number)).toEqual([1, 2, 3, 4]);
    expect(en!.map((g) => [g.slug, g.number])).toEqual(nl!.map((g) => [g.slug, g.number]));
    expect(en!.map((g) => g.measures.length)).toEqual(nl!.map((g) => g.measures.length));
  });

  it('quotes the Dutch goal titles as the seed writes them', async () => {
    const titles = (await readGoals('nl')).map((g) => g.title);
    expect(titles).toEqual([
      'Haal seksueel kindermisbruik en uitbuiting van Nederlandse servers af en maak techbedrijven verantwoordelijk',
      'Maak kinderen weerbaar om veilig online te zijn',
      'Geef kinderen die seksueel misbruik en uitbuiting hebben meegemaakt de steun die ze verdienen',
      'Zorg voor voldoende financiële middelen om seksueel misbruik en uitbuiting van kinderen te stoppen',
    ]);
  });

  it('never uses a term the campaign says to avoid in a goal', async () => {
    const compiled = compileTerms(termRulesOf(await readTerminology()));
    for (const locale of LOCALES) {
      for (const goal of await readGoals(locale)) {
        const text = [goal.title, goal.shortTitle, goal.manifestoText, ...goal.measures].join(' ');
        expect(text).not.toMatch(/kinderporn|child porn/i);
        expect(findTerms(compiled, text, locale).filter((m) => m.level === 'avoid')).toEqual([]);
      }
    }
  });

  it('lists the 15 parties that won seats in 2025, 150 seats in all, each with an https website', async () => {
    const parties = await readParties();
    expect(parties).toHaveLength(15);
    expect(parties.reduce((sum, p) => sum + p.seats, 0)).toBe(150);
    expect(parties.map((p) => p.slug)).toContain('gl-pvda');
  });
});

describe('the choice of words (content/terminology.yaml)', () => {
  it('gives every entry both languages, what to write instead, why, and an https source', async () => {
    const { entries } = await readTerminology();
    for (const entry of entries) {
      for (const locale of LOCALES) {
        expect(entry.term[locale].trim(), `${entry.id}.term.${locale}`).not.toBe('');
        expect(entry.useInstead[locale].trim(), `${entry.id}.useInstead.${locale}`).not.toBe('');
        expect(entry.why[locale].trim(), `${entry.id}.why.${locale}`).not.toBe('');
      }
      expect(entry.match.length, entry.id).toBeGreaterThan(0);
      expect(entry.sources.length, entry.id).toBeGreaterThan(0);
      for (const source of entry.sources) {
        expect(source.title.trim(), entry.id).not.toBe('');
        expect(new URL(source.url).protocol, `${entry.id}: ${source.url}`).toBe('https:');
      }
    }
  });

  it('holds the terms the campaign asked for, with its wording, at both levels', async () => {
    const { entries } = await readTerminology();
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('kinderporno')?.useInstead).toEqual({ nl: 'seksueel kindermisbruikmateriaal (CSAM)', en: 'child sexual abuse material (CSAM)' });
    expect(byId.get('kinderprostitutie')?.useInstead.nl).toMatch(/^seksuele uitbuiting van kinderen/);
    expect(byId.get('loverboy')?.useInstead.nl).toBe('mensenhandelaar');
    expect(byId.get('kindersekstoerisme')?.useInstead.nl).toMatch(/^seksuele uitbuiting van kinderen in reizen en toerisme/);
    expect(byId.get('victim-blaming')?.level).toBe('avoid');
    expect(new Set(entries.map((e) => e.level))).toEqual(new Set(['avoid', 'take-care']));
  });

  it('refuses an entry without a source, an http source or a missing language, naming the field', async () => {
    const dir = await contentDirWith({
      'terminology.yaml': [
        'entries:',
        '  - { id: a, level: avoid, term: { nl: x, en: y }, match: [abc], useInstead: { nl: x, en: y }, why: { nl: x, en: y }, sources: [] }',
        '  - { id: b, level: maybe, term: { nl: x }, match: ["a(b)"], useInstead: { nl: x, en: y }, why: { nl: x, en: y }, sources: [{ title: T, url: "http://x.example" }] }',
        '',
      ].join('\n'),
    });
    const message = ((await readTerminology(dir).catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('terminology.yaml');
    expect(message).toMatch(/entries\.0\.sources: needs at least one source/);
    expect(message).toMatch(/entries\.1\.level: /);
    expect(message).toMatch(/entries\.1\.term\.en: /);
    expect(message).toMatch(/entries\.1\.match\.0: use letters, spaces, hyphens and \* only/);
    expect(message).toMatch(/entries\.1\.sources\.0\.url: must be an https:\/\/ address/);
  });
});

describe('a malformed content file', () => {
  it('is refused with the file name and the field', async () => {
    const dir = await contentDirWith({
      'campaign.yaml':
        'slug: test-campagne\nname: { nl: Naam, en: Name }\ntagline: { nl: x, en: y }\norganiser: { name: Org, website: "http://org.example" }\nelection: { name: { nl: a, en: b }, date: "soon" }\npledgeDeadline: null\nterminology: { nl: a, en: b }\n',
    });
    const error = await readCampaign(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as Error).message).toContain('campaign.yaml');
    expect((error as Error).message).toMatch(/organiser\.website: must be an https:\/\/ address/);
    expect((error as Error).message).toMatch(/election\.date: /);
  });

  it('names the entry and field of a bad party', async () => {
    const dir = await contentDirWith({
      'parties.yaml':
        '- { slug: "Bad Slug", name: "X", abbreviation: "X", seats: 1, website: "https://x.example" }\n- { slug: "y", name: "Y", abbreviation: "X", seats: -1, website: "https://y.example" }\n',
    });
    const message = ((await readParties(dir).catch((e: unknown) => e)) as Error).message;
    expect(message).toContain('parties.yaml');
    expect(message).toMatch(/0\.slug: /);
    expect(message).toMatch(/1\.seats: /);
    expect(message).toMatch(/1\.abbreviation: duplicate abbreviation "X"/);
  });

  it('reports YAML that does not parse', async () => {
    const dir = await contentDirWith({ 'parties.yaml': '- { slug: "a"\n' });
    await expect(readParties(dir)).rejects.toThrow(/parties\.yaml is not valid:\n {2}- not valid YAML/);
  });

  it('names the goal file and field', async () => {
    const dir = await contentDirWith({
      'goals/nl/een-doel.md': '---\nnumber: "een"\ntitle: T\nshortTitle: T\nmeasures: []\nmanifestoText: M\n---\nSamenvatting\n',
    });
    const message = ((await readGoals('nl', dir).catch((e: unknown) => e)) as Error).message;
    expect(message).toContain(path.join('goals', 'nl', 'een-doel.md'));
    expect(message).toMatch(/number: /);
    expect(message).toMatch(/measures: /);
  });
});

describe("the campaign's press contact (optional)", () => {
  const BASE =
    'slug: test-campagne\nname: { nl: Naam, en: Name }\ntagline: { nl: x, en: y }\norganiser: { name: Org, website: "https://org.example" }\ncorrections: "mailto:fout@org.example"\nelection: { name: { nl: a, en: b }, date: null }\npledgeDeadline: null\nterminology: { nl: a, en: b }\n';
  const read = async (press: string) => readCampaign(await contentDirWith({ 'campaign.yaml': BASE + press }));

  it('may be left out', async () => {
    expect((await read('')).press).toBeUndefined();
  });

  it('takes a name with an email address, a phone number or both', async () => {
    expect((await read('press: { name: " Pim Pers ", email: "pers@org.example", phone: "+31 (0)20-123 45 67" }\n')).press).toEqual({
      name: 'Pim Pers',
      email: 'pers@org.example',
      phone: '+31 (0)20-123 45 67',
    });
    expect((await read('press: { name: Persdesk, phone: "020 123 4567" }\n')).press).toEqual({ name: 'Persdesk', phone: '020 123 4567' });
  });

  it('dials the number as written, without the "(0)" of a national number', () => {
    expect(telHref('+31 (0)20-123 45 67')).toBe('tel:+31201234567');
    expect(telHref('020 123 4567')).toBe('tel:0201234567');
  });

  it.each([
    ['press: { name: Pim }\n', /press: needs an email address or a phone number/],
    ['press: { name: "", email: "pers@org.example" }\n', /press\.name: name is missing/],
    ['press: { name: Pim, email: "geen adres" }\n', /press\.email: must be an email address/],
    ['press: { name: Pim, phone: "bel ons" }\n', /press\.phone: must be a phone number/],
    ['press: { name: Pim, phone: "12345" }\n', /press\.phone: must have 6 to 15 digits/],
    ['press: { name: Pim, email: "pers@org.example", fax: "1" }\n', /press: .*fax/],
  ])('refuses %j with the field', async (press, message) => {
    const error = await read(press).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as Error).message).toMatch(message);
  });
});
