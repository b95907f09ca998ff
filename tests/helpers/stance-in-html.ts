/**
 * Reading a stance off a rendered page: the `stance--<name>` badge nearest a marker (a party's
 * link, a row, a heading), after it or before it depending on how the page lays it out.
 */
import { expect } from 'vitest';

function markerAt(html: string, marker: RegExp): number {
  const at = html.search(marker);
  expect(at, String(marker)).toBeGreaterThan(-1);
  return at;
}

/** The first stance badge after the marker (a scoreboard row, a list of goals). */
export function stanceAfter(html: string, marker: RegExp): string | undefined {
  return /stance--(\w+)/.exec(html.slice(markerAt(html, marker)))?.[1];
}

/** The last stance badge before the marker (parties grouped under their stance's heading). */
export function stanceBefore(html: string, marker: RegExp): string | undefined {
  return [...html.slice(0, markerAt(html, marker)).matchAll(/stance--(\w+)/g)].at(-1)?.[1];
}
