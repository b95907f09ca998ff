/**
 * For the bits of HTML and XML written outside Astro templates (which escape by themselves):
 * pages, feeds, and the HTML part of every mail (mail-texts.ts). The apostrophe is a numeric
 * reference: HTML 4 mail readers (Outlook's Word engine) do not know &apos;.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  // Most texts need nothing: testing first saves a copy (a large scoreboard escapes thousands).
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITIES[c]!) : text;
}
