/**
 * A party's name goes into mail subjects (one header line, where a line break is refused): the
 * party form refuses one, and a mail's subject folds any whitespace a name held into spaces.
 */
import { describe, expect, it } from 'vitest';
import { composeMail } from '../../../src/domain/mail-texts.ts';
import { partyFormSchema } from '../../../src/domain/parties.ts';
import { isSafeHeaderValue } from '../../../src/domain/outbox.ts';

describe('a party name on one line', () => {
  const form = (name: string, abbreviation = 'FB') => partyFormSchema.safeParse({ slug: 'foo-bar', name, abbreviation, seats: '1', website: '' });

  it('is what the party form takes: a line break in the name or abbreviation is refused', () => {
    expect(form('Foo Bar').success).toBe(true);
    for (const name of ['Foo\nBar', 'Foo\r\nBar', 'Foo\u2028Bar']) expect(form(name).success, JSON.stringify(name)).toBe(false);
    expect(form('Foo Bar', 'F\nB').success).toBe(false);
  });

  it('and a mail subject folds whatever whitespace it is given into one line', () => {
    const mail = composeMail('nl', { subject: 'Herinnering:\n Foo\r\nBar\t heeft', campaignName: 'Campagne', blocks: [{ paragraph: 'Tekst.' }] });
    expect(mail.subject).toBe('Herinnering: Foo Bar heeft');
    expect(isSafeHeaderValue(mail.subject)).toBe(true);
  });
});
