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
