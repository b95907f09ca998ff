/**
 * For the bits of HTML and XML written outside Astro templates (which escape by themselves):
 * the five entities both languages know.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeHtml(text: string): string {
  // Most texts need nothing: testing first saves a copy (a large scoreboard escapes thousands).
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITIES[c]!) : text;
}
