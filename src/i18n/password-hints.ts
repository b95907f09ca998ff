/**
 * zxcvbn's warnings and suggestions on a weak password, in the reader's language: the Dutch
 * and English texts that ship with the @zxcvbn-ts language packages.
 */
import { translations as english } from '@zxcvbn-ts/language-en';
import { translations as dutch } from '@zxcvbn-ts/language-nl-be';
import { HINT_PREFIX } from '../domain/password-strength.ts';
import type { Locale } from '../domain/campaign.ts';

type Texts = Record<'warnings' | 'suggestions', Record<string, string>>;
const texts: Record<Locale, Texts> = { nl: dutch, en: english };

/** The text of a hint key such as "zxcvbn.warnings.common"; undefined for any other key. */
export function passwordHint(locale: Locale, key: string): string | undefined {
  if (!key.startsWith(HINT_PREFIX)) return undefined;
  const [kind, name] = key.slice(HINT_PREFIX.length).split('.');
  if (kind !== 'warnings' && kind !== 'suggestions') return undefined;
  const text = texts[locale][kind][name ?? ''];
  return typeof text === 'string' && Object.hasOwn(texts[locale][kind], name!) ? text : undefined;
}
