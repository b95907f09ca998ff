/**
 * The words of every mail the app sends, in both languages, as a plain-text and an HTML part
 * made from the same blocks (so the two never say different things). A mail is rendered when
 * it is queued (outbox.ts): the outbox row is the mail as it goes out.
 *
 * To add a kind: write a function here that returns `composeMail(...)` (see inviteMail), add
 * its name to MAIL_KINDS in outbox.ts, and queue it with enqueueMail in the caller's
 * transaction. Everything a person typed is escaped in the HTML part; nothing here writes a
 * header except the subject, which enqueueMail checks for line breaks.
 */
import type { Locale } from './campaign.ts';
import { escapeHtml } from './escape.ts';
import type { BoardStance } from './stances.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A mail's body, block by block: paragraphs, one call to action (a link), a quiet note. */
type MailBlock = { paragraph: string } | { action: { label: string; url: string } } | { note: string };

const DATE_LOCALES: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/** A moment as people in the campaign's country read it ("9 december 2026 om 14:30"). */
function formatMoment(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(DATE_LOCALES[locale], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(at);
}

/** Only web links go into a mail's button: a javascript: or data: URL is a bug, not a link. */
function assertWebLink(url: string): void {
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new Error(`A mail link must be an http(s) URL without spaces, not ${JSON.stringify(url)}`);
}

const STYLE = {
  body: 'margin:0;padding:24px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5',
  button: 'display:inline-block;padding:10px 18px;background:#0b5394;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold',
  note: 'color:#555555;font-size:14px',
  link: 'color:#0b5394;word-break:break-all',
};

/**
 * One mail in one language: the subject, then its blocks as text and as HTML, signed with the
 * campaign's name. Exported for the other mail kinds' functions in this module's style.
 */
export function composeMail(locale: Locale, { subject, campaignName, blocks }: { subject: string; campaignName: string; blocks: MailBlock[] }): RenderedMail {
  // A subject is one header line: whatever a name held, its whitespace becomes single spaces.
  subject = subject.replace(/\s+/g, ' ').trim();
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const block of blocks) {
    if ('paragraph' in block) {
      textParts.push(block.paragraph);
      htmlParts.push(`<p>${escapeHtml(block.paragraph)}</p>`);
    } else if ('note' in block) {
      textParts.push(block.note);
      htmlParts.push(`<p style="${STYLE.note}">${escapeHtml(block.note)}</p>`);
    } else {
      const { label, url } = block.action;
      assertWebLink(url);
      textParts.push(`${label}:\n${url}`);
      htmlParts.push(
        `<p><a href="${escapeHtml(url)}" style="${STYLE.button}">${escapeHtml(label)}</a></p>` +
          `<p style="${STYLE.note}">${escapeHtml(LINK_FALLBACK[locale])}<br><a href="${escapeHtml(url)}" style="${STYLE.link}">${escapeHtml(url)}</a></p>`,
      );
    }
  }
  textParts.push(`— ${campaignName}`);
  htmlParts.push(`<p>— ${escapeHtml(campaignName)}</p>`);
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(subject)}</title></head><body style="${STYLE.body}"><div style="max-width:600px">${htmlParts.join('')}</div></body></html>`;
  return { subject, text: `${textParts.join('\n\n')}\n`, html };
}

const LINK_FALLBACK: Record<Locale, string> = {
  nl: 'Werkt de knop niet? Kopieer dan deze link in je browser:',
  en: 'If the button does not work, copy this link into your browser:',
};

export interface InviteMailInput {
  campaignName: string;
  partyName: string;
  /** The one-time link, absolute. */
  link: string;
  expiresAt: Date;
}

/** The invitation to represent a party (invites.ts): sent when it is made and when it is sent again. */
export function inviteMail(locale: Locale, { campaignName, partyName, link, expiresAt }: InviteMailInput): RenderedMail {
  const until = formatMoment(locale, expiresAt);
  if (locale === 'en') {
    return composeMail(locale, {
      subject: `Invitation: represent ${partyName} on ${campaignName}`,
      campaignName,
      blocks: [
        { paragraph: `You are invited to keep ${partyName}’s pledges up to date on the public scoreboard of the campaign “${campaignName}”.` },
        {
          paragraph:
            'With this invitation you create an account bound to your party. With it you state, for each of the campaign’s goals, whether your party commits to it, with a short public statement and a link to your manifesto.',
        },
        { action: { label: 'Create your account', url: link } },
        { note: `The link works once and until ${until}. Not expecting this mail? Then ignore it: nothing happens without you.` },
      ],
    });
  }
  return composeMail(locale, {
    subject: `Uitnodiging: vertegenwoordig ${partyName} bij ${campaignName}`,
    campaignName,
    blocks: [
      { paragraph: `Je bent uitgenodigd om namens ${partyName} de toezeggingen bij te houden op het openbare scorebord van de campagne ‘${campaignName}’.` },
      {
        paragraph:
          'Met deze uitnodiging maak je een account aan dat aan je partij is gekoppeld. Daarmee geef je per doel van de campagne aan of je partij het toezegt, met een korte openbare toelichting en een link naar het verkiezingsprogramma.',
      },
      { action: { label: 'Account aanmaken', url: link } },
      { note: `De link werkt één keer, tot ${until}. Verwachtte je deze mail niet? Dan kun je hem negeren: zonder jou gebeurt er niets.` },
    ],
  });
}

export interface CandidateInviteMailInput extends InviteMailInput {
  candidateName: string;
}

/** An invitation to a candidate: sign the campaign's goals yourself, with your own account. */
export function candidateInviteMail(locale: Locale, { campaignName, partyName, candidateName, link, expiresAt }: CandidateInviteMailInput): RenderedMail {
  const until = formatMoment(locale, expiresAt);
  if (locale === 'en') {
    return composeMail(locale, {
      subject: `Invitation: sign the goals of ${campaignName} in person`,
      campaignName,
      blocks: [
        { paragraph: `Dear ${candidateName}, as a candidate of ${partyName} you are invited to sign the goals of the campaign “${campaignName}” in person.` },
        {
          paragraph:
            'With this invitation you create your own account. With it you say, for each goal, whether you commit to it, with a short public statement if you like. Nobody else can sign for you, not even your party.',
        },
        { action: { label: 'Create your account', url: link } },
        { note: `The link works once and until ${until}. Not expecting this mail? Then ignore it: nothing happens without you.` },
      ],
    });
  }
  return composeMail(locale, {
    subject: `Uitnodiging: onderteken de doelen van ${campaignName} zelf`,
    campaignName,
    blocks: [
      {
        paragraph: `Beste ${candidateName}, als kandidaat van ${partyName} ben je uitgenodigd om de doelen van de campagne ‘${campaignName}’ zelf te ondertekenen.`,
      },
      {
        paragraph:
          'Met deze uitnodiging maak je je eigen account aan. Daarmee geef je per doel aan of je het toezegt, desgewenst met een korte openbare toelichting. Niemand anders kan voor je tekenen, ook je partij niet.',
      },
      { action: { label: 'Account aanmaken', url: link } },
      { note: `De link werkt één keer, tot ${until}. Verwachtte je deze mail niet? Dan kun je hem negeren: zonder jou gebeurt er niets.` },
    ],
  });
}

// --- forgot-password ---

export interface PasswordResetMailInput {
  campaignName: string;
  /** The one-time link, absolute. */
  link: string;
  expiresAt: Date;
  /** The account signs in with a code too: the mail says the code stays needed. */
  hasSecondFactor: boolean;
}

/** The link asked for with "Forgot your password?" on the sign-in page (password-resets.ts). */
export function passwordResetMail(locale: Locale, { campaignName, link, expiresAt, hasSecondFactor }: PasswordResetMailInput): RenderedMail {
  const until = formatMoment(locale, expiresAt);
  if (locale === 'en') {
    return composeMail(locale, {
      subject: `Set a new password for ${campaignName}`,
      campaignName,
      blocks: [
        {
          paragraph:
            'Someone asked for a new password for your account on this address. With the link below you choose a new one; you will then be signed out everywhere.',
        },
        { action: { label: 'Choose a new password', url: link } },
        {
          note: `The link works once and until ${until}. Did you not ask for this? Then ignore this mail: your password stays as it is.${hasSecondFactor ? ' Signing in still needs the code from your authenticator app.' : ''}`,
        },
      ],
    });
  }
  return composeMail(locale, {
    subject: `Nieuw wachtwoord kiezen voor ${campaignName}`,
    campaignName,
    blocks: [
      {
        paragraph:
          'Iemand vroeg een nieuw wachtwoord aan voor je account op dit adres. Met de link hieronder kies je een nieuw wachtwoord; daarna word je overal uitgelogd.',
      },
      { action: { label: 'Nieuw wachtwoord kiezen', url: link } },
      {
        note: `De link werkt één keer, tot ${until}. Heb je dit niet aangevraagd? Dan kun je deze mail negeren: je wachtwoord blijft zoals het is.${hasSecondFactor ? ' Voor inloggen blijft de code uit je authenticator-app nodig.' : ''}`,
      },
    ],
  });
}

// --- reminders ---

export interface ReminderMailInput {
  campaignName: string;
  partyName: string;
  deadline: Date;
  /** Goals the party has answered, of `total`. */
  answered: number;
  total: number;
  /** Mijn partij, absolute. */
  link: string;
}

/** A scheduled reminder (reminders.ts) to a representative of a party that has not answered every goal. */
export function reminderMail(locale: Locale, { campaignName, partyName, deadline, answered, total, link }: ReminderMailInput): RenderedMail {
  const until = formatMoment(locale, deadline);
  if (locale === 'en') {
    return composeMail(locale, {
      subject: `Reminder: ${partyName} has answered ${answered} of ${total} goals (deadline ${until})`,
      campaignName,
      blocks: [
        { paragraph: `On the public scoreboard of “${campaignName}”, ${partyName} has answered ${answered} of the ${total} goals so far.` },
        { paragraph: `Pledges can be made and changed until ${until}. A goal without an answer shows as “no response”.` },
        { action: { label: 'Go to my party', url: link } },
        { note: 'You get this reminder because you represent your party on the board. Reminders stop once every goal is answered.' },
      ],
    });
  }
  return composeMail(locale, {
    subject: `Herinnering: ${partyName} heeft ${answered} van ${total} doelen beantwoord (deadline ${until})`,
    campaignName,
    blocks: [
      { paragraph: `Op het openbare scorebord van ‘${campaignName}’ heeft ${partyName} tot nu toe ${answered} van de ${total} doelen beantwoord.` },
      { paragraph: `Toezeggen en wijzigen kan tot ${until}. Een doel zonder antwoord staat op het scorebord als ‘geen reactie’.` },
      { action: { label: 'Naar mijn partij', url: link } },
      { note: 'Je krijgt deze herinnering omdat je je partij vertegenwoordigt op het scorebord. De herinneringen stoppen zodra elk doel beantwoord is.' },
    ],
  });
}

/**
 * Stance words in mails: the same as the site's (stanceLabel in src/i18n/ui.ts, which the
 * domain may not import; tests/unit/reminder-mail-texts.test.ts keeps them equal).
 */
export const MAIL_STANCE_WORDS: Record<Locale, Record<BoardStance, string>> = {
  nl: { committed: 'Toegezegd', partial: 'Gedeeltelijk', declined: 'Niet toegezegd', none: 'Geen reactie' },
  en: { committed: 'Committed', partial: 'Partly committed', declined: 'Declined', none: 'No response' },
};

const CHANGED_PART_WORDS: Record<Locale, Record<'statement' | 'evidence', string>> = {
  nl: { statement: 'toelichting', evidence: 'bron' },
  en: { statement: 'statement', evidence: 'source' },
};

/** One change to a party's pledge, as a notice names it. */
export interface PledgeChangeLine {
  goalTitle: string;
  /** null: the party had not answered this goal before. */
  stanceBefore: BoardStance | null;
  stanceAfter: BoardStance;
  /** What else changed besides the stance. */
  alsoChanged: ('statement' | 'evidence')[];
}

export interface PledgeChangedMailInput {
  campaignName: string;
  partyName: string;
  /** Who made the change, as the public history names them. */
  by: string;
  kind: 'colleague' | 'correction' | 'hidden' | 'shown';
  changes: PledgeChangeLine[];
  /** The campaign's public reason (correction, hiding, showing). */
  reason: string | null;
  /** Mijn partij, absolute. */
  link: string;
}

/**
 * A notice to a representative who asked for it (account page): a colleague changed the
 * party's pledge, or the campaign corrected it or hid or showed a statement. It says only
 * what the representative may see on Mijn partij anyway.
 */
export function pledgeChangedMail(locale: Locale, { campaignName, partyName, by, kind, changes, reason, link }: PledgeChangedMailInput): RenderedMail {
  const en = locale === 'en';
  const words = MAIL_STANCE_WORDS[locale];
  const lines = changes.map((c) => {
    const after = words[c.stanceAfter];
    const stance = c.stanceBefore === c.stanceAfter ? after : `${words[c.stanceBefore ?? 'none']} → ${after}`;
    const parts = c.alsoChanged.map((part) => CHANGED_PART_WORDS[locale][part]).join(', ');
    const also = parts ? (en ? ` (also changed: ${parts})` : ` (ook gewijzigd: ${parts})`) : '';
    return `• ${c.goalTitle}: ${stance}${also}`;
  });
  const what = {
    colleague: en ? `${by} changed ${partyName}’s pledge:` : `${by} heeft de toezegging van ${partyName} gewijzigd:`,
    correction: en ? `The campaign (${by}) corrected ${partyName}’s pledge:` : `De campagne (${by}) heeft de toezegging van ${partyName} gecorrigeerd:`,
    hidden: en ? `The campaign (${by}) hid ${partyName}’s statement on:` : `De campagne (${by}) heeft de toelichting van ${partyName} verborgen bij:`,
    shown: en ? `The campaign (${by}) showed ${partyName}’s statement again on:` : `De campagne (${by}) toont de toelichting van ${partyName} weer bij:`,
  }[kind];
  const subject = {
    colleague: en ? `${partyName}’s pledge was changed` : `De toezegging van ${partyName} is gewijzigd`,
    correction: en ? `The campaign corrected ${partyName}’s pledge` : `De campagne heeft de toezegging van ${partyName} gecorrigeerd`,
    hidden: en ? `The campaign hid a statement of ${partyName}` : `De campagne heeft een toelichting van ${partyName} verborgen`,
    shown: en ? `The campaign showed a statement of ${partyName} again` : `De campagne toont een toelichting van ${partyName} weer`,
  }[kind];
  const blocks: MailBlock[] = [{ paragraph: what }, ...lines.map((line) => ({ paragraph: line }))];
  if (reason) blocks.push({ paragraph: en ? `The campaign’s public reason: ${reason}` : `De openbare reden van de campagne: ${reason}` });
  blocks.push({ action: { label: en ? 'Go to my party' : 'Naar mijn partij', url: link } });
  blocks.push({
    note: en
      ? 'You get this mail because you asked for it on your account page; you can switch it off there.'
      : 'Je krijgt deze mail omdat je daarom vroeg op je accountpagina; daar kun je het ook weer uitzetten.',
  });
  return composeMail(locale, { subject: `${subject} — ${campaignName}`, campaignName, blocks });
}
