/**
 * Every UI string, in Dutch (the default) and English. Goal texts live in content/goals/.
 * A key missing in one language is a type error, so the two never drift apart.
 */
import type { Locale } from '../domain/campaign.ts';
import type { BoardStance } from '../domain/stances.ts';

const nl = {
  'site.skip': 'Naar de inhoud',
  'site.demoBanner': 'Demo: alle partijen en toezeggingen op deze site zijn verzonnen. Dit zijn geen echte standpunten.',
  'site.nav.scoreboard': 'Scorebord',
  'site.nav.goals': 'Doelstellingen',
  'site.footer.organiser': 'Een campagne van',
  'site.footer.data': 'Open data (JSON)',
  'board.title': 'Scorebord',
  'board.caption': 'Standpunt van elke partij per doelstelling',
  'board.party': 'Partij',
  'board.seats': 'zetels',
  'board.committedTotal': 'Toegezegd',
  'board.countsRow': 'Aantal partijen',
  'board.lastUpdated': 'Laatst bijgewerkt',
  'board.neverUpdated': 'Nog geen toezeggingen',
  'board.empty': 'Er staan nog geen partijen op het scorebord.',
  'board.scrollHint': 'Scroll opzij voor alle doelstellingen.',
  'board.goalsHeading': 'De vier doelstellingen',
  'election.date': 'Verkiezingsdatum',
  'election.dateUnknown': 'nog niet bekend',
  'election.deadline': 'Toezeggen kan tot',
  'election.deadlineOpen': 'Toezeggen kan tot nader order.',
  'goal.summary': 'Waar gaat het om?',
  'goal.measures': 'Concrete maatregelen',
  'goal.manifesto': 'Voorgestelde tekst voor het verkiezingsprogramma',
  'goal.parties': 'Wat zeggen de partijen?',
  'goal.terminology': 'Over de woorden die we gebruiken',
  'goal.noParties': 'Geen partijen in deze groep.',
  'goal.back': 'Terug naar het scorebord',
  'party.website': 'Website van de partij',
  'party.stances': 'Standpunten per doelstelling',
  'party.noStatement': 'Geen toelichting gegeven.',
  'party.noResponse': 'Deze partij heeft op deze doelstelling nog niet gereageerd.',
  'party.evidence': 'Bron in het verkiezingsprogramma',
  'party.page': 'pagina',
  'party.updated': 'Bijgewerkt op',
  'party.by': 'door',
  'notFound.title': 'Pagina niet gevonden',
  'notFound.body': 'Deze pagina bestaat niet (meer). Misschien is de link verouderd.',
} as const;

type Messages = Record<keyof typeof nl, string>;

const en: Messages = {
  'site.skip': 'Skip to content',
  'site.demoBanner': 'Demo: every party and pledge on this site is made up. These are not real positions.',
  'site.nav.scoreboard': 'Scoreboard',
  'site.nav.goals': 'Goals',
  'site.footer.organiser': 'A campaign by',
  'site.footer.data': 'Open data (JSON)',
  'board.title': 'Scoreboard',
  'board.caption': 'Each party’s stance on each goal',
  'board.party': 'Party',
  'board.seats': 'seats',
  'board.committedTotal': 'Committed',
  'board.countsRow': 'Number of parties',
  'board.lastUpdated': 'Last updated',
  'board.neverUpdated': 'No pledges yet',
  'board.empty': 'There are no parties on the scoreboard yet.',
  'board.scrollHint': 'Scroll sideways to see every goal.',
  'board.goalsHeading': 'The four goals',
  'election.date': 'Election date',
  'election.dateUnknown': 'not yet announced',
  'election.deadline': 'Parties can pledge until',
  'election.deadlineOpen': 'Parties can pledge until further notice.',
  'goal.summary': 'What is it about?',
  'goal.measures': 'Concrete measures',
  'goal.manifesto': 'Suggested text for the election manifesto',
  'goal.parties': 'What do the parties say?',
  'goal.terminology': 'About the words we use',
  'goal.noParties': 'No parties in this group.',
  'goal.back': 'Back to the scoreboard',
  'party.website': 'Party website',
  'party.stances': 'Stance on each goal',
  'party.noStatement': 'No statement given.',
  'party.noResponse': 'This party has not yet responded on this goal.',
  'party.evidence': 'Source in the election manifesto',
  'party.page': 'page',
  'party.updated': 'Updated on',
  'party.by': 'by',
  'notFound.title': 'Page not found',
  'notFound.body': 'This page does not exist (any more). The link may be out of date.',
};

const messages: Record<Locale, Messages> = { nl, en };

export type MessageKey = keyof Messages;

export function translator(locale: Locale): (key: MessageKey) => string {
  return (key) => messages[locale][key];
}

/** Stance words: always shown next to the icon, never colour alone. */
const stanceLabels: Record<Locale, Record<BoardStance, string>> = {
  nl: { committed: 'Toegezegd', partial: 'Gedeeltelijk', declined: 'Niet toegezegd', none: 'Geen reactie' },
  en: { committed: 'Committed', partial: 'Partly committed', declined: 'Declined', none: 'No response' },
};

export function stanceLabel(locale: Locale, stance: BoardStance): string {
  return stanceLabels[locale][stance];
}

const TIME_ZONE = 'Europe/Amsterdam';
const intlLocale: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/** Dates as a Dutch (or English) reader writes them, in Dutch time whatever the server's zone. */
export function formatDate(locale: Locale, date: Date, withTime = false): string {
  return new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: TIME_ZONE,
  }).format(date);
}

export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(intlLocale[locale]).format(value);
}
