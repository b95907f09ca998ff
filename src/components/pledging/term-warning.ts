/**
 * The choice-of-words warning while typing (progressive enhancement of StatementField.astro).
 * Bundled by Astro from the same matcher the server uses (src/domain/terminology.ts), with the
 * same rules the server serialised into the field's data-rules: one list, one way of matching.
 * The live region (role=status) is only rewritten when typing pauses and the matches changed,
 * so a screen reader hears it once, not at every key.
 */
import type { Locale } from '../../domain/campaign.ts';
import { compileTerms, findTerms, type TermMatch, type TermRules } from '../../domain/terminology.ts';

const PAUSE_MS = 600;

function line(template: string, match: TermMatch): string {
  return template.replace('{term}', match.text).replace('{suggestion}', match.useInstead);
}

for (const warning of document.querySelectorAll<HTMLElement>('[data-term-warning]')) {
  const field = document.getElementById(warning.dataset.for ?? '');
  const body = warning.querySelector<HTMLElement>('.term-warning__body');
  const list = warning.querySelector<HTMLElement>('[data-term-list]');
  if (!(field instanceof HTMLTextAreaElement) || !body || !list || !warning.dataset.rules) continue;
  // The server wrote these rules from the checked list (StatementField.astro).
  const compiled = compileTerms(JSON.parse(warning.dataset.rules) as TermRules);
  const locale = (warning.dataset.locale ?? 'nl') as Locale;
  const { avoid = '', takeCare = '' } = warning.dataset;
  const shown = () => [...list.children].map((li) => li.textContent).join('\n');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    const lines = findTerms(compiled, field.value, locale).map((m) => line(m.level === 'avoid' ? avoid : takeCare, m));
    if (lines.join('\n') === shown()) return;
    list.replaceChildren(
      ...lines.map((text) => {
        const item = document.createElement('li');
        item.textContent = text;
        return item;
      }),
    );
    body.hidden = lines.length === 0;
  };
  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, PAUSE_MS);
  });
}
