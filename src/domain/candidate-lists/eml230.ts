/**
 * The Kiesraad's candidate lists as EML_NL 230 (kandidatenlijsten), the XML its own software
 * (OSV2020, Abacus) writes and the Kiesraad publishes per election.
 *
 * Where the format is documented:
 * - EML_NL, the Kiesraad's profile of OASIS EML 5: https://www.kiesraad.nl/verkiezingen/osv-en-eml/eml-standaard
 * - OASIS Election Markup Language 5.0 (230 "candidate list"): https://docs.oasis-open.org/election/eml/v5.0/
 * - The Kiesraad's own reader and writer, element by element, and real published files:
 *   https://github.com/kiesraad/abacus (backend/src/eml/eml_230.rs, common.rs, and
 *   backend/src/eml/tests/definitions/Kandidatenlijsten_*.eml.xml)
 *
 * What is read (namespaces: eml = urn:oasis:names:tc:evs:schema:eml, kr = http://www.kiesraad.nl/extensions,
 * xnl = urn:oasis:names:tc:ciq:xsdschema:xNL:2.0, xal = urn:oasis:names:tc:ciq:xsdschema:xAL:2.0):
 *   EML[@Id="230b"] > CandidateList > Election > ElectionIdentifier[@Id] (ElectionName, ElectionCategory, kr:ElectionDate)
 *   Election > Contest > ContestIdentifier[@Id = kieskring number, or "geen"] (ContestName)
 *   Contest > Affiliation > AffiliationIdentifier[@Id = list number] > RegisteredName; Type;
 *             kr:ListData[@PublishGender, @PublicationLanguage]
 *   Affiliation > Candidate > CandidateIdentifier[@Id = position]; CandidateFullName > xnl:PersonName >
 *             xnl:NameLine[@NameType="Initials"], xnl:FirstName, xnl:NamePrefix, xnl:LastName;
 *             Gender (male | female | unknown); QualifyingAddress > xal:Locality > xal:LocalityName,
 *             or xal:Country > (xal:CountryNameCode, xal:Locality > xal:LocalityName)
 * Everything else (ManagingAuthority, signatures …) is passed over. A DOCTYPE is refused (no
 * entity tricks). Parsed with saxes, a strict XML 1.0 parser that gives line numbers.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import {
  cleanText,
  country,
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
  type At,
} from './fields.ts';
import { CandidateListError, say, type Candidate, type CandidateList, type CandidateListFile, type ElectionInfo, type Reason } from './types.ts';

const NS = {
  eml: 'urn:oasis:names:tc:evs:schema:eml',
  kr: 'http://www.kiesraad.nl/extensions',
  xnl: 'urn:oasis:names:tc:ciq:xsdschema:xNL:2.0',
  xal: 'urn:oasis:names:tc:ciq:xsdschema:xAL:2.0',
} as const;
const PREFIX: Record<string, string> = { [NS.eml]: '', [NS.kr]: 'kr:', [NS.xnl]: 'xnl:', [NS.xal]: 'xal:' };

/** Names of EML messages, for a message that says which one it got instead. */
const MESSAGE_NAMES: Record<string, string> = {
  '110a': 'an election definition',
  '110b': 'a polling station list',
  '510': 'a count',
  '520': 'a result',
};

/** Text of an XML file from bytes: the declared encoding (UTF-8 unless it says ISO-8859-1 or Windows-1252). */
function decodeXml(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  if (['iso-8859-1', 'latin1', 'windows-1252', 'cp1252'].includes(declared)) return new TextDecoder('windows-1252').decode(bytes);
  if (!['utf-8', 'utf8'].includes(declared))
    throw new CandidateListError(
      say(
        `encoding ${JSON.stringify(declared)} is not supported (UTF-8 expected)`,
        `tekenset ${JSON.stringify(declared)} wordt niet ondersteund (UTF-8 verwacht)`,
      ),
      { line: 1 },
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const line = lossy.slice(0, lossy.indexOf('\uFFFD')).split('\n').length;
    throw new CandidateListError(
      say('the file is not valid UTF-8, as its XML declaration says', 'het bestand is geen geldige UTF-8, wat de XML-declaratie wel zegt'),
      { line },
    );
  }
}

interface Draft {
  line: number;
  position?: number;
  initials?: string;
  firstName: string | null;
  prefix: string | null;
  lastName?: string;
  gender: Candidate['gender'];
  place: string | null;
  country: string | null;
}

/** Parses an EML_NL 230 (bytes, or text already decoded); throws a CandidateListError naming line and field. */
export function parseEml230(input: Uint8Array | string): CandidateListFile {
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeXml(input);
  if (text.trim() === '') throw new CandidateListError(say('the file is empty', 'het bestand is leeg'));
  if (!text.trimStart().startsWith('<'))
    throw new CandidateListError(say('this is not XML: the file does not start with "<"', 'dit is geen XML: het bestand begint niet met "<"'), { line: 1 });
  const parser = new SaxesParser({ xmlns: true, position: true });

  const stack: string[] = [];
  let buffer = '';
  let sawRoot = false;
  let sawCandidateList = false;
  let election: ElectionInfo | null = null;
  const lists: CandidateList[] = [];
  /** "contest id/list number" → the line of its Affiliation: a list twice in one district is refused. */
  const seen = new Map<string, number>();
  let contestIndex = 0;
  let contest: { number: number | null; id: string | null; name: string | null; line: number } | null = null;
  let affiliationIndex = 0;
  let list: (CandidateList & { line: number; publishGender: boolean; hasIdentifier: boolean }) | null = null;
  let candidateIndex = 0;
  let draft: Draft | null = null;
  let inCountry = false;
  let nameType: string | undefined;

  const path = () =>
    [contest ? `Contest ${contestIndex}` : null, list ? `Affiliation ${affiliationIndex}` : null, draft ? `Candidate ${candidateIndex}` : null]
      .filter((part) => part !== null)
      .join(' > ') || null;
  const where = (field: string): At => {
    const line = parser.line;
    return () => ({ line, field, path: path() ?? undefined });
  };
  const fail = (reason: Reason, field: string | null, line = parser.line): never => {
    throw new CandidateListError(reason, { line, field, path: path() });
  };

  parser.on('doctype', () => fail(say('a DOCTYPE is not allowed in an EML file', 'een DOCTYPE is niet toegestaan in een EML-bestand'), null));

  parser.on('opentag', (tag: SaxesTagNS) => {
    const name = `${PREFIX[tag.uri] ?? `{${tag.uri}}`}${tag.local}`;
    const attribute = (local: string) => tag.attributes[local]?.value;
    buffer = '';
    if (!sawRoot) {
      sawRoot = true;
      if (tag.local !== 'EML' || tag.uri !== NS.eml)
        fail(
          say(
            `this is not an EML file: the root element is <${tag.name}>, not <EML xmlns="${NS.eml}">`,
            `dit is geen EML-bestand: het hoofdelement is <${tag.name}>, niet <EML xmlns="${NS.eml}">`,
          ),
          null,
        );
      const id = attribute('Id');
      if (id === undefined) fail(say('the EML message has no Id (230b expected)', 'het EML-bericht heeft geen Id (230b verwacht)'), 'EML Id');
      if (!/^230[a-z]?$/.test(id!)) {
        const known = MESSAGE_NAMES[id!] ?? MESSAGE_NAMES[id!.replace(/[a-z]$/, '')];
        fail(say(`this is EML ${id}${known ? ` (${known})` : ''}, not 230 (candidate lists)`, `dit is EML ${id}, geen 230 (kandidatenlijsten)`), 'EML Id');
      }
    }
    const parent = stack[stack.length - 1];
    stack.push(name);
    switch (name) {
      case 'CandidateList':
        if (parent !== 'EML') fail(say('CandidateList must be directly inside EML', 'CandidateList moet direct in EML staan'), name);
        sawCandidateList = true;
        break;
      case 'ElectionIdentifier':
        if (parent === 'Election')
          election = {
            id: requiredText(attribute('Id'), where('ElectionIdentifier Id'), say('election id', 'verkiezings-id')),
            name: null,
            category: null,
            date: null,
          };
        break;
      case 'Contest':
        contestIndex += 1;
        affiliationIndex = 0;
        contest = { number: null, id: null, name: null, line: parser.line };
        break;
      case 'ContestIdentifier':
        if (contest) {
          const id = requiredText(attribute('Id'), where('ContestIdentifier Id'), say('contest (kieskring) id', 'kieskring-id'));
          contest.id = id;
          contest.number = /^\d+$/.test(id) ? positiveNumber(id, where('ContestIdentifier Id'), say('kieskring number', 'kieskringnummer')) : null;
        }
        break;
      case 'Affiliation':
        if (!contest) fail(say('Affiliation outside a Contest', 'Affiliation buiten een Contest'), name);
        if (contest!.id === null)
          fail(
            say('the Contest has no ContestIdentifier before its lists', 'de Contest heeft geen ContestIdentifier vóór zijn lijsten'),
            'ContestIdentifier Id',
          );
        affiliationIndex += 1;
        candidateIndex = 0;
        list = {
          district: { number: contest!.number, name: contest!.name ?? (contest!.number === null ? contest!.id : null) },
          listNumber: 0,
          groupName: '',
          listType: null,
          language: null,
          candidates: [],
          line: parser.line,
          publishGender: false,
          hasIdentifier: false,
        };
        break;
      case 'AffiliationIdentifier':
        if (list && parent === 'Affiliation') {
          list.listNumber = positiveNumber(attribute('Id'), where('AffiliationIdentifier Id'), LIST_NUMBER);
          list.hasIdentifier = true;
        }
        break;
      case 'kr:ListData':
        if (list) {
          list.publishGender = yesNo(attribute('PublishGender'), where('kr:ListData PublishGender'));
          list.language = optionalText(attribute('PublicationLanguage'), where('kr:ListData PublicationLanguage'));
        }
        break;
      case 'Candidate':
        if (!list) fail(say('Candidate outside an Affiliation', 'Candidate buiten een Affiliation'), name);
        candidateIndex += 1;
        draft = { line: parser.line, firstName: null, prefix: null, gender: null, place: null, country: null };
        break;
      case 'CandidateIdentifier':
        if (draft) draft.position = positiveNumber(attribute('Id'), where('CandidateIdentifier Id'), POSITION);
        break;
      case 'xnl:NameLine':
        nameType = attribute('NameType');
        break;
      case 'xal:Country':
        inCountry = true;
        break;
    }
  });

  parser.on('text', (chunk) => {
    buffer += chunk;
  });

  parser.on('closetag', () => {
    const name = stack.pop()!;
    const parent = stack[stack.length - 1];
    const value = buffer;
    buffer = '';
    if (election && parent === 'ElectionIdentifier') {
      if (name === 'ElectionName') election.name = optionalText(value, where(name));
      else if (name === 'ElectionCategory') election.category = optionalText(value, where(name));
      else if (name === 'kr:ElectionDate') election.date = optionalText(value, where(name));
    }
    if (contest && name === 'ContestName' && parent === 'ContestIdentifier') contest.name = optionalText(value, where(name));
    if (list && !draft) {
      if (name === 'RegisteredName' && parent === 'AffiliationIdentifier') list.groupName = cleanText(value, where(name));
      else if (name === 'Type' && parent === 'Affiliation') list.listType = optionalText(value, where(name));
    }
    if (draft) {
      switch (name) {
        case 'xnl:NameLine':
          // Only the initials line; the xNL standard allows others, the Kiesraad writes none.
          if (/^initials$/i.test(nameType ?? '')) draft.initials = requiredText(value, where(name), INITIALS);
          break;
        case 'xnl:FirstName':
          draft.firstName = optionalText(value, where(name));
          break;
        case 'xnl:NamePrefix':
          draft.prefix = optionalText(value, where(name));
          break;
        case 'xnl:LastName':
          draft.lastName = requiredText(value, where(name), LAST_NAME);
          break;
        case 'Gender':
          draft.gender = gender(value, where(name));
          break;
        case 'xal:LocalityName':
          draft.place = optionalText(value, where(name));
          break;
        case 'xal:CountryNameCode':
          if (inCountry) draft.country = country(value, where(name));
          break;
        case 'xal:Country':
          inCountry = false;
          break;
        case 'Candidate': {
          const missing = (field: string, what: Reason) => fail(say(`${what.en} is missing`, `${what.nl} ontbreekt`), field, draft!.line);
          if (draft.position === undefined) missing('CandidateIdentifier Id', POSITION);
          if (draft.initials === undefined) missing('xnl:NameLine NameType="Initials"', INITIALS);
          if (draft.lastName === undefined) missing('xnl:LastName', LAST_NAME);
          list!.candidates.push({
            position: draft.position!,
            initials: draft.initials!,
            firstName: draft.firstName,
            prefix: draft.prefix,
            lastName: draft.lastName!,
            gender: draft.gender,
            publishGender: list!.publishGender,
            place: draft.place,
            country: draft.country,
            line: draft.line,
          });
          draft = null;
          break;
        }
      }
      return;
    }
    if (name === 'Affiliation' && list) {
      if (!list.hasIdentifier)
        fail(
          say('the list has no AffiliationIdentifier with a list number', 'de lijst heeft geen AffiliationIdentifier met een lijstnummer'),
          'AffiliationIdentifier Id',
          list.line,
        );
      if (list.candidates.length === 0)
        fail(say(`list ${list.listNumber} has no candidates`, `lijst ${list.listNumber} heeft geen kandidaten`), 'Candidate', list.line);
      const seenKey = `${contest!.id}/${list.listNumber}`;
      const earlier = seen.get(seenKey);
      if (earlier !== undefined)
        fail(
          say(
            `list ${list.listNumber} appears twice in this district (first on line ${earlier})`,
            `lijst ${list.listNumber} staat twee keer in deze kieskring (eerst op regel ${earlier})`,
          ),
          'AffiliationIdentifier Id',
          list.line,
        );
      seen.set(seenKey, list.line);
      const { line: _line, publishGender: _publish, hasIdentifier: _has, ...done } = list;
      const affiliation = affiliationIndex;
      const contestNumber = contestIndex;
      lists.push(
        finishList(done, { position: 'CandidateIdentifier Id', lastName: 'xnl:LastName' }, (candidate) => {
          const index = done.candidates.indexOf(candidate) + 1;
          return `Contest ${contestNumber} > Affiliation ${affiliation} > Candidate ${index}`;
        }),
      );
      list = null;
    } else if (name === 'Contest' && contest) {
      if (contest.id === null)
        fail(say('the Contest has no ContestIdentifier', 'de Contest heeft geen ContestIdentifier'), 'ContestIdentifier Id', contest.line);
      contest = null;
    }
  });

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof CandidateListError) throw error;
    const message = (error as Error).message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    const truncated = /unclosed|unexpected end/i.test(message);
    throw new CandidateListError(
      truncated
        ? say(`the XML ends too early (${message}); is the file truncated?`, `de XML houdt te vroeg op (${message}); is het bestand afgekapt?`)
        : say(`not well-formed XML: ${message}`, `geen geldige XML: ${message}`),
      {
        line: parser.line,
      },
    );
  }
  if (!sawCandidateList)
    throw new CandidateListError(say('the EML 230 has no CandidateList', 'de EML 230 heeft geen CandidateList'), { line: null, field: 'CandidateList' });
  if (lists.length === 0)
    throw new CandidateListError(say('the file holds no candidate lists', 'het bestand bevat geen kandidatenlijsten'), { field: 'Affiliation' });
  return { format: 'eml-230', election, lists };
}
