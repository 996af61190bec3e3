import { createHash } from 'node:crypto';

/** A page of the queue as sent: its JSON text and the ETag of that text. */
export interface ReviewPage {
  json: string;
  etag: string;
}

interface Kept extends ReviewPage {
  revision: number;
  bytes: number;
}

/**
 * Pages of the review queue kept with the partner's queue revision they were read at (`review_revisions`, migration
 * 0017: every statement that writes a partner's changes gives it a new revision, in the same transaction). A kept page
 * is served again only after reading the revision and finding it unchanged, so an answer is never older than the
 * request, whichever replica or worker wrote last. The queue changes once a run (and at each decision) and is read
 * far more often: reading a revision is one primary-key lookup instead of the page's statement.
 *
 * Bounded by the bytes of the kept texts; the page used least recently goes first. Keys name the partner and every
 * parameter of the page.
 */
export class ReviewPageCache {
  private readonly pages = new Map<string, Kept>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /** The page kept under `key` if it was read at `revision`. */
  get(key: string, revision: number | null): ReviewPage | undefined {
    const kept = this.pages.get(key);
    if (!kept || revision === null || kept.revision !== revision) return undefined;
    this.pages.delete(key); // most recently used last
    this.pages.set(key, kept);
    return kept;
  }

  /** Whether anything is kept under `key` (then the revision is worth reading). */
  has(key: string): boolean {
    return this.pages.has(key);
  }

  /** Keeps `json` read at `revision` (not when there is no revision yet); the page as sent. */
  put(key: string, revision: number | null, json: string): ReviewPage {
    const page = { json, etag: weakEtag(json) };
    this.drop(key);
    const bytes = Buffer.byteLength(json);
    if (revision === null || bytes > this.maxBytes) return page;
    this.pages.set(key, { ...page, revision, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
    return page;
  }

  /** How many pages and bytes are kept (for tests and diagnostics). */
  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }

  private drop(key: string): void {
    const kept = this.pages.get(key);
    if (!kept) return;
    this.pages.delete(key);
    this.bytes -= kept.bytes;
  }
}

/**
 * The weak ETag Express gives a body by default (`W/"<length in hex>-<first 27 characters of its base64 SHA-1>"`, as
 * the `etag` package writes it), computed once per kept page instead of on every answer.
 */
export function weakEtag(text: string): string {
  const body = Buffer.from(text, 'utf8');
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${body.length.toString(16)}-${hash}"`;
}
