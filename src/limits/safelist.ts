/**
 * Safelist mode: only persisted operations run. The manifest is what codegen's client preset
 * writes with `persistedDocuments` (`examples/gql/persisted-documents.json`): a JSON object from
 * the sha256 hash of each client document (`sha256:`-prefixed, as the preset writes it, or bare)
 * to the document. A request names its operation by
 * `documentId` (the hash, optionally `sha256:`-prefixed) or by
 * `extensions.persistedQuery.sha256Hash` (Apollo's and Relay's convention).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Hash → document of the persisted operations. */
export type Safelist = ReadonlyMap<string, string>;

const ManifestSchema = z.record(z.string(), z.string().min(1));
const HASH = /^(sha256:)?[0-9a-f]{64}$/;

/**
 * Reads a persisted-documents manifest. Throws when the file is missing, not JSON, or a key is not
 * the sha256 of its document.
 */
export function loadSafelist(path: string): Safelist {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`safelist ${path}: ${(e as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`safelist ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const out = new Map<string, string>();
  for (const [key, document] of Object.entries(parsed.data)) {
    if (!HASH.test(key)) throw new Error(`safelist ${path}: ${key} is not a sha256 hash (hex, optionally sha256:-prefixed)`);
    const hash = key.replace(/^sha256:/, '');
    if (sha256(document) !== hash) throw new Error(`safelist ${path}: ${hash} is not the sha256 of its document`);
    out.set(hash, document);
  }
  return out;
}

/** Hex sha256 of a document, as codegen and Apollo hash them. */
export function sha256(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/** The persisted operation a request names: its id as sent, normalised (no `sha256:` prefix); undefined when none. */
export function requestedDocumentId(documentId: unknown, extensions: unknown): string | undefined {
  if (typeof documentId === 'string' && documentId !== '') return documentId.replace(/^sha256:/, '');
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' && hash !== '' ? hash : undefined;
}
