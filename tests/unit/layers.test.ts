/**
 * The layers import downwards only (docs/ARCHITECTURE.md): the database knows nothing of the
 * rules, the credentials (tokens, password hashes, sessions) know only the database, the
 * domain only those two, and auth (the request-facing sign-in flows) only those three. None of
 * them imports Astro. Read from the import statements of src/**\/*.ts, so a new import that
 * breaks the rule fails here, not in a review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** What each lower layer may import from src/ (besides itself); everything else is above it. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  db: [],
  credentials: ['db'],
  domain: ['credentials', 'db'],
  auth: ['domain', 'credentials', 'db'],
};

interface Import {
  /** The importing file, relative to src/. */
  file: string;
  specifier: string;
  /** The first folder (or the file) under src/ the import resolves to; null for a package. */
  target: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Static, re-export, type-only and dynamic imports, as TypeScript itself finds them. */
function importsOf(file: string): Import[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { file: path.relative(SRC, file), specifier, target: null };
    const resolved = path.relative(SRC, path.resolve(path.dirname(file), specifier));
    return { file: path.relative(SRC, file), specifier, target: resolved.startsWith('..') ? '(outside src)' : resolved.split(path.sep)[0]! };
  });
}

const layerOf = (file: string) => file.split(path.sep)[0]!;

function violations(imports: readonly Import[]): string[] {
  return imports
    .filter(({ file, specifier, target }) => {
      const allowed = MAY_IMPORT[layerOf(file)];
      if (!allowed) return false;
      if (target === null) return specifier === 'astro' || specifier.startsWith('astro:') || specifier.startsWith('astro/');
      return target !== layerOf(file) && !allowed.includes(target);
    })
    .map(({ file, specifier }) => `${file} imports ${specifier}`);
}

describe('layers', () => {
  const imports = sourceFiles(SRC).flatMap(importsOf);

  it('reads the imports it checks', () => {
    // A parser that found nothing would pass every rule below.
    expect(imports.some(({ file, specifier }) => file === path.join('domain', 'users.ts') && specifier === '../db/schema.ts')).toBe(true);
    expect(imports.some(({ file, target }) => layerOf(file) === 'auth' && target === 'domain')).toBe(true);
  });

  it.each(Object.entries(MAY_IMPORT))('%s imports only %j below it, and not Astro', (layer) => {
    expect(violations(imports.filter(({ file }) => layerOf(file) === layer))).toEqual([]);
  });
});
