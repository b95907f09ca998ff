/** For the few bits of HTML written outside Astro templates (which escape by themselves). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
