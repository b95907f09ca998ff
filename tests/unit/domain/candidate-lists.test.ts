/**
 * The Kiesraad's candidate lists: both formats into one shape, people merged across districts,
 * and every kind of bad file refused whole with its line and field. Fixtures in
 * tests/fixtures/kiesraad/ hold fictional parties and people only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CandidateListError,
  mergeCandidateLists,
  parseCandidateListFile,
  parseEml230,
  parseKiesraadCsv,
  personKey,
  type Candidate,
  type CandidateGender,
  type CandidateList,
  type CandidateListFile,
  type District,
  type ElectionInfo,
  type PartyCandidates,
  type Person,
  type Standing,
} from '../../../src/domain/candidate-lists/index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/kiesraad');
const bytes = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const text = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const utf8 = (value: string) => new TextEncoder().encode(value);

/** The error a parse throws, for assertions on its parts. */
function refusal(parse: () => unknown): CandidateListError {
  try {
    parse();
  } catch (error) {
    if (error instanceof CandidateListError) return error;
    throw error;
  }
  throw new Error('parsed without an error');
}

/** A refused file: what it is, the input, and the line, field and words of the refusal. */
type Refusal = [string, () => Uint8Array | string, number | null, string | null, string];

/** Lists without what only one format has (the EML names its districts, the CSV numbers them). */
const comparable = (file: CandidateListFile) =>
  file.lists.map((list) => ({ ...list, district: { number: list.district.number }, candidates: list.candidates.map(({ line: _, ...c }) => c) }));

describe('EML_NL 230', () => {
  const file = parseEml230(bytes('two-districts.eml.xml'));

  it('reads the election, the districts, the lists and the candidates in order', () => {
    expect(file.format).toBe('eml-230');
    const election: ElectionInfo = { id: 'TK2099', name: 'Tweede Kamer 2099 (fictief)', category: 'TK', date: '2099-03-17' };
    expect(file.election).toEqual(election);
    expect(file.lists.map((list) => [list.district.number, list.district.name, list.listNumber, list.groupName, list.candidates.length])).toEqual([
      [1, 'Noordstad', 1, 'Partij voor de Proef', 3],
      [1, 'Noordstad', 2, 'Samen; Verzonnen', 2],
      [2, 'Zuidhaven', 1, 'Partij voor de Proef', 3],
      [2, 'Zuidhaven', 2, 'Samen; Verzonnen', 1],
    ]);
    expect(file.lists[0]!.listType).toBe('stel gelijkluidende lijsten');
    expect(file.lists[1]!.language).toBe('fy');
    const first: Candidate = {
      position: 1,
      initials: 'A.B.',
      firstName: 'Anna',
      prefix: 'van der',
      lastName: 'Voorbeeld',
      gender: 'female',
      publishGender: true,
      place: 'Proefdorp',
      country: null,
      line: 31,
    };
    expect(file.lists[0]!.candidates[0]).toEqual(first);
  });

  it('reads a candidate abroad (xal:Country), a missing first name, an unknown gender and an unpublished one', () => {
    const abroad = file.lists[1]!.candidates[1]!;
    expect(abroad).toMatchObject({
      initials: 'H.I.',
      firstName: null,
      prefix: "'t",
      lastName: 'Hypothese',
      place: 'Brussel',
      country: 'BE',
      publishGender: false,
    });
    expect(file.lists[3]!.candidates[0]!.gender).toBeNull();
    expect(file.lists[0]!.candidates[2]).toMatchObject({ firstName: 'Zoë', place: 'Wâldsein' });
  });

  it('sorts candidates by position whatever the order in the file', () => {
    const swapped = text('two-districts.eml.xml').replace('<CandidateIdentifier Id="1"/>', '<CandidateIdentifier Id="9"/>');
    expect(parseEml230(swapped).lists[0]!.candidates.map((c) => c.position)).toEqual([2, 3, 9]);
  });
});

describe('the Kiesraad CSV', () => {
  const file = parseKiesraadCsv(bytes('two-districts.csv'));

  it('holds the same lists as the EML of the same data', () => {
    expect(file.format).toBe('kiesraad-csv');
    expect(comparable(file)).toEqual(comparable(parseEml230(bytes('two-districts.eml.xml'))));
  });

  it('gives each candidate the line of its record, and reads ";" inside quotes as text', () => {
    expect(file.lists[0]!.candidates.map((c) => c.line)).toEqual([2, 3, 4]);
    expect(file.lists[1]!.groupName).toBe('Samen; Verzonnen');
  });

  it('reads Windows-1252 (what Excel writes) as well as UTF-8', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes('two-districts.windows-1252.csv'))).toThrow();
    expect(parseKiesraadCsv(bytes('two-districts.windows-1252.csv'))).toEqual(file);
  });

  it('reads a BOM, LF line ends, text input and an Excel "sep=;" line', () => {
    const csv = text('two-districts.csv');
    expect(parseKiesraadCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('two-districts.csv')]))).toEqual(file);
    expect(parseKiesraadCsv(csv.replaceAll('\r\n', '\n'))).toEqual(file);
    expect(parseKiesraadCsv(`\uFEFF${csv}`)).toEqual(file);
    const withSep = parseKiesraadCsv(`sep=;\r\n${csv}`);
    expect(withSep.lists[0]!.candidates[0]!.line).toBe(3);
  });

  it('reads header names without regard to case, spaces or the dot of "Nr."', () => {
    const csv = text('two-districts.csv').replace('Nr.;', 'nr;').replace('Politieke Groepering', ' politieke  groepering ');
    expect(parseKiesraadCsv(csv)).toEqual(file);
  });

  it('reads a district given as "number name", and one given by name only', () => {
    const csv = text('two-districts.csv');
    const named = parseKiesraadCsv(csv.replace(/\r\n1;/g, '\r\n1 - Noordstad;').replace(/\r\n2;/g, '\r\nZuidhaven;'));
    expect(named.lists.map((list) => list.district)).toEqual<District[]>([
      { number: 1, name: 'Noordstad' },
      { number: 1, name: 'Noordstad' },
      { number: null, name: 'Zuidhaven' },
      { number: null, name: 'Zuidhaven' },
    ]);
  });
});

describe('the file sniffer', () => {
  it('tells XML from CSV by content', () => {
    expect(parseCandidateListFile(bytes('two-districts.eml.xml')).format).toBe('eml-230');
    expect(parseCandidateListFile(bytes('two-districts.csv')).format).toBe('kiesraad-csv');
    expect(parseCandidateListFile(`\uFEFF${text('two-districts.eml.xml')}`).format).toBe('eml-230');
    expect(refusal(() => parseCandidateListFile('  <EML xmlns="urn:oasis:names:tc:evs:schema:eml"/>')).message).toContain('has no Id');
  });
});

describe('people across districts', () => {
  const lists = parseEml230(bytes('two-districts.eml.xml')).lists;
  const parties: PartyCandidates[] = mergeCandidateLists(lists);

  it('makes one person of a candidate on the lists of two districts, with both positions', () => {
    expect(parties.map((party) => [party.groupName, party.listNumbers, party.persons.length])).toEqual([
      ['Partij voor de Proef', [1], 5],
      ['Samen; Verzonnen', [2], 3],
    ]);
    const anna: Person[] = parties[0]!.persons.filter((person) => person.lastName === 'Voorbeeld');
    expect(anna).toHaveLength(1);
    expect(anna[0]!.standings).toEqual<Standing[]>([
      { district: { number: 1, name: 'Noordstad' }, listNumber: 1, position: 1 },
      { district: { number: 2, name: 'Zuidhaven' }, listNumber: 1, position: 3 },
    ]);
  });

  it('shows gender only where the list publishes it', () => {
    const samen = parties[1]!.persons;
    const unpublished: CandidateGender = null;
    expect(samen.find((person) => person.lastName === 'Bedachtsma')!.gender).toBe(unpublished);
    expect(parties[0]!.persons.find((person) => person.lastName === 'Voorbeeld')!.gender).toBe('female');
  });

  it('gives the same people from the CSV as from the EML', () => {
    const keys = (from: CandidateList[]) => mergeCandidateLists(from).flatMap((party) => party.persons.map((person) => person.key));
    expect(keys(parseKiesraadCsv(bytes('two-districts.csv')).lists)).toEqual(keys(lists));
  });

  it('keys a person by group, name parts and place, not by case, spacing or position', () => {
    const list = { groupName: 'Partij voor de Proef', listNumber: 1 };
    const anna = { initials: 'A.B.', firstName: 'Anna', prefix: 'van der', lastName: 'Voorbeeld', place: 'Proefdorp', country: null };
    expect(personKey({ groupName: ' partij voor  de PROEF', listNumber: 7 }, { ...anna, initials: 'A. B.', lastName: 'VOORBEELD ' })).toBe(
      personKey(list, anna),
    );
    expect(personKey(list, { ...anna, place: 'Noordstad' })).not.toBe(personKey(list, anna));
    expect(personKey(list, { ...anna, firstName: null })).not.toBe(personKey(list, anna));
    expect(personKey({ groupName: 'Samen; Verzonnen', listNumber: 2 }, anna)).not.toBe(personKey(list, anna));
    // A list without a registered name is its own group, by its number.
    expect(personKey({ groupName: '', listNumber: 12 }, anna)).not.toBe(personKey({ groupName: '', listNumber: 13 }, anna));
  });

  it('refuses the same list of the same district twice (a file given twice)', () => {
    expect(refusal(() => mergeCandidateLists([...lists, lists[2]!])).message).toContain('list 1 in district Zuidhaven appears twice');
  });
});

describe('a CSV that does not parse is refused whole, naming line and field', () => {
  const csv = text('two-districts.csv');
  const lines = csv.split('\r\n');
  const withLine = (index: number, line: string) => lines.map((existing, i) => (i === index ? line : existing)).join('\r\n');
  const cells = (index: number) => lines[index]!.split(';');
  const withCell = (index: number, column: number, value: string) =>
    withLine(
      index,
      cells(index)
        .map((cell, i) => (i === column ? value : cell))
        .join(';'),
    );

  it.each<Refusal>([
    ['a misspelt column', () => bytes('wrong-header.csv'), 1, 'Achtenaam', 'unknown column "Achtenaam"'],
    ['a bad position', () => bytes('bad-position.csv'), 6, 'Nr.', 'line 6, field "Nr.": "abc" is not a position'],
    ['a missing column', () => lines.map((line) => line.replace(/;[^;]*$/, '')).join('\r\n'), 1, 'Land', 'missing column "Land"'],
    ['a column twice', () => withLine(0, lines[0]!.replace('Land', 'Woonplaats')), 1, 'Woonplaats', 'column "Woonplaats" appears twice'],
    ['a list number of 0', () => withCell(2, 1, '0'), 3, 'Lijstnummer', '"0" is not a list number'],
    ['a negative position', () => withCell(2, 6, '-2'), 3, 'Nr.', '"-2" is not a position'],
    ['an empty last name', () => withCell(3, 8, ' '), 4, 'Achternaam', 'last name is empty'],
    ['empty initials', () => withCell(3, 9, ''), 4, 'Voorletters', 'initials is empty'],
    ['a position twice on one list', () => withCell(3, 6, '2'), 4, 'Nr.', 'position 2 is already taken on list 1 by line 3'],
    [
      'one person twice on one list',
      () => withLine(3, lines[1]!.replace(';1;van der', ';3;van der')),
      4,
      'Achternaam',
      'the same candidate as position 1 (line 2)',
    ],
    ['a NUL', () => withCell(2, 8, 'Test\u0000mans'), 3, 'Achternaam', 'control character U+0000'],
    ['a C1 control character', () => withCell(2, 12, 'Noord\u0085stad'), 3, 'Woonplaats', 'control character U+0085'],
    ['a line break inside quotes', () => withCell(2, 12, '"Noord\nstad"'), 4, 'Woonplaats', 'control character U+000A'],
    ['a row with a field too many', () => withLine(4, `${lines[4]};extra`), 5, null, 'does not have 14 fields'],
    ['an unclosed quote', () => withCell(2, 8, '"Testmans'), 3, null, 'a quoted field here is not closed properly'],
    [
      'another group name for the same list',
      () => withCell(2, 2, 'Partij voor de Test'),
      3,
      'Politieke Groepering',
      'differs from "Partij voor de Proef" on line 2',
    ],
    ['an unknown gender', () => withCell(2, 11, 'q'), 3, 'Geslacht', '"q" is not a gender'],
    ['an unknown yes/no', () => withCell(2, 4, 'misschien'), 3, 'Publiceer geslacht', 'is not yes or no'],
    ['a header alone', () => `${lines[0]}\r\n`, 1, null, 'no candidates'],
    ['nothing at all', () => '\r\n', null, null, 'the file is empty'],
    ['another CSV altogether', () => 'naam,partij\r\nA. Voorbeeld,Partij voor de Proef\r\n', 1, 'naam', 'unknown column "naam"'],
  ])('%s', (_, input, line, field, message) => {
    const error = refusal(() => parseKiesraadCsv(input()));
    if (line !== null) expect(error.line).toBe(line);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });
});

describe('an EML that does not parse is refused whole, naming line and field', () => {
  const xml = text('two-districts.eml.xml');
  const lines = xml.split('\n');
  const lineOf = (needle: string, from = 0) => lines.findIndex((line, index) => index >= from && line.includes(needle)) + 1;
  const secondCandidate = lineOf('<CandidateIdentifier Id="2"/>');

  it.each<Refusal>([
    ['a truncated file', () => bytes('truncated.eml.xml'), 68, null, 'ends too early'],
    ['not EML at all', () => bytes('not-eml.xml'), 2, null, 'not an EML file: the root element is <feed>'],
    ['another EML message (110a)', () => bytes('election-definition-110a.eml.xml'), 2, 'EML Id', 'this is EML 110a (an election definition), not 230'],
    ['EML in no namespace', () => xml.replace(' xmlns="urn:oasis:names:tc:evs:schema:eml"', ''), 3, null, 'not an EML file'],
    ['an EML without Id', () => xml.replace(' Id="230b"', ''), 3, 'EML Id', 'has no Id'],
    ['not XML at all', () => text('two-districts.csv'), 1, null, 'this is not XML'],
    [
      'XML that is not well-formed',
      () => xml.replace('</CandidateFullName>', '</CandidateFullname>'),
      lineOf('</CandidateFullName>'),
      null,
      'not well-formed XML',
    ],
    ['a DOCTYPE', () => xml.replace('<EML ', '<!DOCTYPE EML [<!ENTITY x "y">]>\n<EML '), 2, null, 'DOCTYPE is not allowed'],
    [
      'a bad position',
      () => xml.replace('<CandidateIdentifier Id="2"/>', '<CandidateIdentifier Id="abc"/>'),
      secondCandidate,
      'CandidateIdentifier Id',
      '"abc" is not a position',
    ],
    [
      'a position twice',
      () => xml.replace('<CandidateIdentifier Id="2"/>', '<CandidateIdentifier Id="1"/>'),
      secondCandidate - 1,
      'CandidateIdentifier Id',
      'position 1 is already taken',
    ],
    [
      'an empty last name',
      () => xml.replace('<xnl:LastName>Testmans</xnl:LastName>', '<xnl:LastName> </xnl:LastName>'),
      lineOf('Testmans'),
      'xnl:LastName',
      'last name is empty',
    ],
    ['no last name', () => xml.replace('<xnl:LastName>Testmans</xnl:LastName>', ''), secondCandidate - 1, 'xnl:LastName', 'last name is missing'],
    [
      'no initials',
      () => xml.replace('<xnl:NameLine NameType="Initials">C.</xnl:NameLine>', ''),
      secondCandidate - 1,
      'xnl:NameLine NameType="Initials"',
      'initials is missing',
    ],
    [
      'a list without number',
      () => xml.replace('<AffiliationIdentifier Id="2">', '<AffiliationIdentifier>'),
      lineOf('<AffiliationIdentifier Id="2">'),
      'AffiliationIdentifier Id',
      'list number is missing',
    ],
    [
      'a list without candidates',
      () => xml.replace(/(<Affiliation>(?:(?!<\/Affiliation>)[\s\S])*?<\/kr:ListData>|<kr:ListData[^>]*\/>)[\s\S]*?(<\/Affiliation>)/, '$1$2'),
      lineOf('<Affiliation>'),
      'Candidate',
      'has no candidates',
    ],
    [
      'the same list twice in one district',
      () => xml.replace('<AffiliationIdentifier Id="2">', '<AffiliationIdentifier Id="1">'),
      lineOf('<Affiliation>', lineOf('<AffiliationIdentifier Id="2">') - 2),
      'AffiliationIdentifier Id',
      'list 1 appears twice in this district (first on line',
    ],
    ['an unknown gender', () => xml.replace('<Gender>male</Gender>', '<Gender>q</Gender>'), lineOf('<Gender>male</Gender>'), 'Gender', '"q" is not a gender'],
    ['a forbidden character reference (&#x1;)', () => xml.replace('>Testmans<', '>Test&#x1;mans<'), lineOf('Testmans'), null, 'not well-formed XML'],
    ['a C1 control character (&#x85;)', () => xml.replace('>Testmans<', '>Test&#x85;mans<'), lineOf('Testmans'), 'xnl:LastName', 'control character U+0085'],
    ['invalid UTF-8', () => new Uint8Array([...utf8(lines.slice(0, 4).join('\n')), 0xff, ...utf8(lines.slice(4).join('\n'))]), 4, null, 'not valid UTF-8'],
    ['an empty file', () => '', null, null, 'the file is empty'],
  ])('%s', (_, input, line, field, message) => {
    const error = refusal(() => parseEml230(input()));
    if (line !== null) expect(error.line).toBe(line);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('names the candidate by its path as well as its line', () => {
    const error = refusal(() => parseEml230(xml.replace('<CandidateIdentifier Id="2"/>', '<CandidateIdentifier Id="abc"/>')));
    expect(error.path).toBe('Contest 1 > Affiliation 1 > Candidate 2');
    expect(error.message).toBe(`line ${secondCandidate}, field "CandidateIdentifier Id": "abc" is not a position (Contest 1 > Affiliation 1 > Candidate 2)`);
  });

  it('reads a file that declares Windows-1252', () => {
    const declared = xml.replace('encoding="UTF-8"', 'encoding="windows-1252"');
    const encoded = new Uint8Array([...declared].map((character) => ({ ë: 0xeb, â: 0xe2 })[character] ?? character.charCodeAt(0)));
    expect(comparable(parseEml230(encoded))).toEqual(comparable(parseEml230(xml)));
  });
});

describe('a large election', () => {
  // A municipal election's scale: 340 municipalities (as districts here), 40,800 candidates.
  const MUNICIPALITIES = 340;
  const LISTS = 10;
  const PER_LIST = 12;
  const name = (m: number, l: number, p: number) => `Kandidaat${m}x${l}x${p}`;

  it('parses 40,000 candidates from CSV and EML and merges them', () => {
    const rows = [
      'Kieskring;Lijstnummer;Politieke Groepering;Type;Publiceer geslacht;Taal;Nr.;Tussenvoegsel;Achternaam;Voorletters;Roepnaam;Geslacht;Woonplaats;Land',
    ];
    const xml = [
      '<EML xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions" xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0" xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" Id="230b"><CandidateList><Election><ElectionIdentifier Id="GR2099"/>',
    ];
    for (let m = 1; m <= MUNICIPALITIES; m += 1) {
      xml.push(`<Contest><ContestIdentifier Id="${m}"><ContestName>Gemeente ${m}</ContestName></ContestIdentifier>`);
      for (let l = 1; l <= LISTS; l += 1) {
        xml.push(
          `<Affiliation><AffiliationIdentifier Id="${l}"><RegisteredName>Lijst ${l}</RegisteredName></AffiliationIdentifier><kr:ListData PublishGender="true" PublicationLanguage="nl"/>`,
        );
        for (let p = 1; p <= PER_LIST; p += 1) {
          rows.push(`${m};${l};Lijst ${l};;ja;nl;${p};van;${name(m, l, p)};A.;Anna;vrouw;Plaats ${m};`);
          xml.push(
            `<Candidate><CandidateIdentifier Id="${p}"/><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">A.</xnl:NameLine><xnl:FirstName>Anna</xnl:FirstName><xnl:NamePrefix>van</xnl:NamePrefix><xnl:LastName>${name(m, l, p)}</xnl:LastName></xnl:PersonName></CandidateFullName><Gender>female</Gender><QualifyingAddress><xal:Locality><xal:LocalityName>Plaats ${m}</xal:LocalityName></xal:Locality></QualifyingAddress></Candidate>`,
          );
        }
        xml.push('</Affiliation>');
      }
      xml.push('</Contest>');
    }
    xml.push('</Election></CandidateList></EML>');
    const total = MUNICIPALITIES * LISTS * PER_LIST;

    const fromCsv = parseKiesraadCsv(utf8(rows.join('\r\n')));
    expect(fromCsv.lists).toHaveLength(MUNICIPALITIES * LISTS);
    expect(fromCsv.lists.reduce((sum, list) => sum + list.candidates.length, 0)).toBe(total);
    expect(fromCsv.lists.at(-1)!.candidates.at(-1)!.line).toBe(total + 1);

    const fromEml = parseEml230(utf8(xml.join('\n')));
    expect(comparable(fromEml)).toEqual(comparable(fromCsv));

    const parties = mergeCandidateLists(fromCsv.lists);
    expect(parties).toHaveLength(LISTS);
    expect(parties.reduce((sum, party) => sum + party.persons.length, 0)).toBe(total);
    // Parsing twice 40,800 candidates takes a few seconds; on a busy machine more. (Speed is
    // the benchmark's business, not this test's.)
  }, 60_000);
});
