import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toFieldIssues } from '../../../src/domain/field-issues.ts';
import { freeText, withoutForbiddenCharacters } from '../../../src/domain/text.ts';
import { isMessageKey } from '../../../src/i18n/ui.ts';

const schema = z.object({ text: freeText('form.required').trim().max(20, 'form.tooLong') });
const issuesOf = (text: unknown) => {
  const result = schema.safeParse({ text });
  return result.success ? {} : toFieldIssues(result.error);
};

describe('free text', () => {
  it('keeps ordinary text, tabs, newlines and any language', () => {
    expect(schema.parse({ text: 'Eén\ttwee\ndrie 😀 ĳ' }).text).toBe('Eén\ttwee\ndrie 😀 ĳ');
  });

  it('turns the line breaks of Word (U+000B, U+000C) and CRLF or CR into one newline', () => {
    expect(schema.parse({ text: 'a\u000Bb\u000Cc\r\nd\re' }).text).toBe('a\nb\nc\nd\ne');
  });

  it.each([
    ['NUL', '\u0000'],
    ['ESC', '\u001B'],
    ['BEL', '\u0007'],
    ['DEL', '\u007F'],
    ['a C1 control', '\u0085'],
    ['U+FFFE', '\uFFFE'],
    ['U+FFFF', '\uFFFF'],
    ['a lone high surrogate', '\uD800'],
    ['a lone low surrogate', '\uDC00'],
  ])('refuses %s with a message of its own', (_name, character) => {
    expect(issuesOf(`a${character}b`)).toEqual({ text: 'text.forbiddenCharacter' });
  });

  it('says the refusal in words the site can translate', () => {
    expect(isMessageKey('text.forbiddenCharacter')).toBe(true);
  });

  it('still applies the rules of the field after it', () => {
    expect(issuesOf('x'.repeat(21))).toEqual({ text: 'form.tooLong' });
    expect(issuesOf(42)).toEqual({ text: 'form.required' });
  });
});

describe('text written into XML', () => {
  it('loses only the characters XML 1.0 forbids', () => {
    expect(withoutForbiddenCharacters('a\u0000b\u000Bc\u001Bd\uFFFFe\uD800f\tg\nh😀')).toBe('abcdef\tg\nh😀');
  });
});
