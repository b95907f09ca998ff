/**
 * The Kiesraad's candidate lists as CSV: one row per candidate per electoral district, columns
 * Kieskring, Lijstnummer, Politieke Groepering, Type, Publiceer geslacht, Taal, Nr.,
 * Tussenvoegsel, Achternaam, Voorletters, Roepnaam, Geslacht, Woonplaats, Land (the same data
 * as the EML 230: Type, Publiceer geslacht and Taal are the list's kr:ListData).
 *
 * Where the format is documented:
 * - The Kiesraad's own CSVs (OSV2020) use ";" as separator:
 *   https://www.kiesraad.nl/adviezen-en-publicaties/formulieren/2021/06/17/spreadsheet-voorbereiding-kandidaatstelling
 * - How candidates are named on a list (voorletters with dots, lower-case prefixes, woonplaats):
 *   Kiesbesluit art. H 2 and R 2, https://wetten.overheid.nl/BWBR0004670
 * - The fields' meaning follows the EML_NL 230 (see eml230.ts).
 * No published specification of this CSV's columns was found; the column names come from the
 * issue (14) and the research notes. So the reader is tolerant where it costs nothing and
 * strict where a mistake would be silent:
 * - separator ";" (or "," when the header has no ";"); an Excel "sep=;" first line is honoured;
 * - UTF-8 with or without BOM; bytes that are not valid UTF-8 are read as Windows-1252 (what
 *   Excel writes); CRLF or LF; RFC 4180 quoting ("a;b" and "" inside quotes);
 * - header names compared without case, surrounding spaces or a trailing dot ("Nr" = "Nr.");
 *   every one of the 14 columns must be there, once, and no other: a misspelt column would
 *   otherwise be dropped without a word;
 * - empty lines are skipped; rows of one list need not be next to each other.
 */
import { parse } from 'csv-parse/sync';
import {
  cleanText,
  country,
  decodeBytes,
  finishList,
  gender,
  INITIALS,
  LAST_NAME,
  LIST_NUMBER,
  optionalText,
  POSITION,
  positiveNumber,
  requiredText,
  yesNo,
} from './fields.ts';
import { CandidateListError, say, type CandidateList, type CandidateListFile, type District } from './types.ts';

const CSV_COLUMNS = [
  'Kieskring',
  'Lijstnummer',
  'Politieke Groepering',
  'Type',
  'Publiceer geslacht',
  'Taal',
  'Nr.',
  'Tussenvoegsel',
  'Achternaam',
  'Voorletters',
  'Roepnaam',
  'Geslacht',
  'Woonplaats',
  'Land',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

const headerKey = (name: string) => name.normalize('NFC').trim().replace(/\.$/, '').replace(/\s+/g, ' ').toLowerCase();
const KNOWN = new Map<string, Column>(CSV_COLUMNS.map((column) => [headerKey(column), column]));

const DISTRICT = say('Kieskring', 'Kieskring');

/** "3", "Noordstad" or "3 Noordstad" / "3 - Noordstad". */
function district(raw: string | undefined, line: number): District {
  const text = requiredText(raw, { line, field: 'Kieskring' }, DISTRICT);
  const numbered = /^(\d{1,3})(?:\s*[-–:.]?\s+(.+))?$/.exec(text);
  if (numbered) return { number: Number(numbered[1]), name: numbered[2] ?? null };
  return { number: null, name: text };
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

function records(text: string, delimiter: string, firstLine: number): CsvRecord[] {
  try {
    return parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as CsvRecord[];
  } catch (error) {
    const { lines, code, message, records: done } = error as { lines?: number; code?: string; message: string; records?: number };
    if (code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_INVALID_CLOSING_QUOTE') {
      // The parser notices where it got lost, which can be lines after the stray quote: name the
      // line where the record that holds it begins (the line after the last good record).
      const good = done ? (parse(text, { delimiter, info: true, skip_empty_lines: true, to: done }) as unknown as CsvRecord[]) : [];
      const start = (good.at(-1)?.info.lines ?? 0) + 1;
      const runsTo = (lines ?? start) + firstLine - 1;
      throw new CandidateListError(
        say(
          `a quoted field here is not closed properly (the quote runs on to line ${runsTo})`,
          `een veld tussen aanhalingstekens wordt hier niet goed gesloten (het loopt door tot regel ${runsTo})`,
        ),
        {
          line: start + firstLine - 1,
        },
      );
    }
    const detail = message.replace(/ at line \d+.*$/, '');
    const reason =
      code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? say(
            `this row does not have ${CSV_COLUMNS.length} fields (separator "${delimiter}")`,
            `deze regel heeft geen ${CSV_COLUMNS.length} velden (scheidingsteken "${delimiter}")`,
          )
        : say(detail, `het CSV-bestand is niet te lezen: ${detail}`);
    throw new CandidateListError(reason, { line: typeof lines === 'number' ? lines + firstLine - 1 : null });
  }
}

/** Parses the Kiesraad CSV (bytes, or text already decoded); throws a CandidateListError naming line and field. */
export function parseKiesraadCsv(input: Uint8Array | string): CandidateListFile {
  let text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeBytes(input).text;
  let firstLine = 1;
  let delimiter: string | null = null;
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep) {
    delimiter = sep[1]!;
    text = text.slice(sep[0].length);
    firstLine = 2;
  }
  const headerLine = /^[^\r\n]*/.exec(text)![0];
  if (text.trim() === '') throw new CandidateListError(say('the file is empty', 'het bestand is leeg'));
  delimiter ??= headerLine.includes(';') ? ';' : headerLine.includes(',') ? ',' : ';';

  const rows = records(text, delimiter, firstLine);
  const [header, ...body] = rows;
  const columns = new Map<Column, number>();
  header!.record.forEach((name, index) => {
    const where = { line: firstLine, field: name };
    const column = KNOWN.get(headerKey(cleanText(name, where)));
    if (!column)
      throw new CandidateListError(
        say(
          `unknown column ${JSON.stringify(name)}; expected ${CSV_COLUMNS.join(';')}`,
          `onbekende kolom ${JSON.stringify(name)}; verwacht: ${CSV_COLUMNS.join(';')}`,
        ),
        where,
      );
    if (columns.has(column))
      throw new CandidateListError(say(`column ${JSON.stringify(column)} appears twice`, `kolom ${JSON.stringify(column)} staat er twee keer in`), where);
    columns.set(column, index);
  });
  const missing = CSV_COLUMNS.filter((column) => !columns.has(column));
  if (missing.length > 0) {
    const names = missing.map((column) => JSON.stringify(column)).join(', ');
    throw new CandidateListError(
      say(`missing column${missing.length > 1 ? 's' : ''} ${names}`, `ontbrekende kolom${missing.length > 1 ? 'men' : ''} ${names}`),
      {
        line: firstLine,
        field: missing[0]!,
      },
    );
  }
  if (body.length === 0)
    throw new CandidateListError(say('the file has a header but no candidates', 'het bestand heeft een kopregel maar geen kandidaten'), { line: firstLine });

  const lists = new Map<string, CandidateList & { firstLine: number }>();
  const districts = new Map<string, District>();
  for (const { record, info } of body) {
    const line = info.lines + firstLine - 1;
    const cell = (column: Column) => record[columns.get(column)!];
    const at = (field: Column) => ({ line, field });
    const rawDistrict = cell('Kieskring') ?? '';
    let kieskring = districts.get(rawDistrict);
    if (!kieskring) {
      kieskring = district(rawDistrict, line);
      districts.set(rawDistrict, kieskring);
    }
    const listNumber = positiveNumber(cell('Lijstnummer'), at('Lijstnummer'), LIST_NUMBER);
    const groupName = cleanText(cell('Politieke Groepering') ?? '', at('Politieke Groepering'));
    const listType = optionalText(cell('Type'), at('Type'));
    const language = optionalText(cell('Taal'), at('Taal'));
    const key = `${kieskring.number ?? ''}|${kieskring.name ?? ''}|${listNumber}`;
    let list = lists.get(key);
    if (!list) {
      list = { district: kieskring, listNumber, groupName, listType, language, candidates: [], firstLine: line };
      lists.set(key, list);
    } else {
      for (const [field, value, known] of [
        ['Politieke Groepering', groupName, list.groupName],
        ['Type', listType, list.listType],
        ['Taal', language, list.language],
      ] as const) {
        if (value !== known) {
          throw new CandidateListError(
            say(
              `${JSON.stringify(value ?? '')} differs from ${JSON.stringify(known ?? '')} on line ${list.firstLine} for the same list`,
              `${JSON.stringify(value ?? '')} wijkt af van ${JSON.stringify(known ?? '')} op regel ${list.firstLine} voor dezelfde lijst`,
            ),
            at(field),
          );
        }
      }
    }
    list.candidates.push({
      position: positiveNumber(cell('Nr.'), at('Nr.'), POSITION),
      initials: requiredText(cell('Voorletters'), at('Voorletters'), INITIALS),
      firstName: optionalText(cell('Roepnaam'), at('Roepnaam')),
      prefix: optionalText(cell('Tussenvoegsel'), at('Tussenvoegsel')),
      lastName: requiredText(cell('Achternaam'), at('Achternaam'), LAST_NAME),
      gender: gender(cell('Geslacht'), at('Geslacht')),
      publishGender: yesNo(cell('Publiceer geslacht'), at('Publiceer geslacht')),
      place: optionalText(cell('Woonplaats'), at('Woonplaats')),
      country: country(cell('Land'), at('Land')),
      line,
    });
  }
  return {
    format: 'kiesraad-csv',
    election: null,
    lists: [...lists.values()].map(({ firstLine: _, ...list }) => finishList(list, { position: 'Nr.', lastName: 'Achternaam' })),
  };
}
