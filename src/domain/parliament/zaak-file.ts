/**
 * A saved OData response (`import-zaak --file F`): read, checked as JSON, then read as the API's
 * answer would be. A file that does not fit is refused whole, naming the field's path.
 */
import { readFile, stat } from 'node:fs/promises';
import { checkZaakNumber } from './tk-client.ts';
import { parseZaakResponse, ZaakError, type ZaakItem } from './zaak.ts';

const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The item in the file; with `expectedNumber`, a file about another item is refused. Throws ZaakError. */
export async function zaakFromFile(path: string, expectedNumber?: string): Promise<ZaakItem> {
  const wanted = expectedNumber === undefined ? undefined : checkZaakNumber(expectedNumber);
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_FILE_BYTES) throw new ZaakError('too-large', `${path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; not a single zaak`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ZaakError) throw error;
    throw new ZaakError('unreadable', `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    // A BOM is what some editors save; JSON.parse refuses it.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ZaakError('bad-json', `${path}: not JSON (${(error as Error).message})`);
  }
  return parseZaakResponse(json, wanted);
}
