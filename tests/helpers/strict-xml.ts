/**
 * A strict XML 1.0 parser for tests (saxes): like expat, and unlike lenient validators, it
 * refuses the characters XML forbids (U+000B, U+001B, U+FFFF …). Returns its complaints.
 */
import { SaxesParser } from 'saxes';

export function strictXmlErrors(xml: string): string[] {
  const errors: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (error) => errors.push(error.message));
  parser.write(xml).close();
  return errors;
}
