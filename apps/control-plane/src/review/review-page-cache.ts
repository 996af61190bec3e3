import { createHash } from 'node:crypto';

/**
 * A page of the queue as sent: its JSON text in UTF-8 and the ETag of those bytes. Kept as bytes, outside the
 * JavaScript heap: pages replaced several times a second (a queue that keeps changing) are then no work for the
 * garbage collector's old generation, and an answer needs no encoding.
 */
export interface ReviewPage {
  body: Buffer;
  etag: string;
}

/** A page as the database read it: its text and the partner's queue revision in the same snapshot (null before any change). */
export interface ReadPage {
  json: string;
  revision: number | null;
}

interface Kept extends ReviewPage {
  revision: number;
  bytes: number;
}

type Loaded = ReviewPage & { revision: number | null };

/**
 * Pages of the review queue kept with the partner's queue revision they were read at (`review_revisions`, migration
 * 0017: every statement that writes a partner's changes gives it a new revision from one sequence, in the same
 * transaction and under the partner's review lock, so a partner's revisions grow in commit order). A kept page is
 * served again only after reading the revision and finding it unchanged, so an answer is never older than the request,
 * whichever replica or worker wrote last. The queue changes once a run (and at each decision) and is read far more
 * often: reading a revision is one primary-key lookup instead of the page's statement.
 *
 * When the queue has just changed, the readers of one page that find their kept copy outdated share one read of the
 * page: a reader that saw revision r takes a read already under way if that read started after r was seen (so its
 * snapshot, and the revision it returns, is at least r: it reflects at least what the reader saw), and reads on its
 * own otherwise. A reader with nothing kept reads on its own
 * (it saw no revision to compare with). A kept page older than a revision of its partner seen since (by any reader of
 * any of its pages) is read again without asking for the revision first, unless a read of it is under way (then the
 * reader asks, to know whether it may share that read).
 *
 * Bounded by the bytes of the kept texts; the page used least recently goes first. Keys name the partner and every
 * parameter of the page.
 */
export class ReviewPageCache {
  private readonly pages = new Map<string, Kept>();
  /** Reads under way, with the latest revision of the partner known when each started (its snapshot is at least that). */
  private readonly reading = new Map<string, { page: Promise<Loaded>; knowing: number }>();
  /** The latest queue revision seen per partner (one number per partner that has a queue). */
  private readonly latest = new Map<string, number>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /**
   * The page under `key` (a page of `partnerId`'s queue): kept, or shared with a read under way, or read by `read`.
   * `revision` reads the partner's current queue revision; it is called only when something is kept or being read
   * under `key` and not known to be outdated.
   */
  async page(partnerId: string, key: string, revision: () => Promise<number | null>, read: () => Promise<ReadPage>): Promise<ReviewPage> {
    const kept = this.pages.get(key);
    const underWay = this.reading.get(key);
    // Known to be outdated (a later revision of the partner was seen since) and nobody reads it: read, without asking.
    const outdated = kept !== undefined && kept.revision < (this.latest.get(partnerId) ?? -1) && !underWay;
    if (!outdated && (kept || underWay)) {
      const seen = await revision();
      this.saw(partnerId, seen);
      const current = this.get(key, seen);
      if (current) return current;
      const sharing = this.reading.get(key); // perhaps started while the revision was read
      // Only a read that started knowing `seen` (so after it was committed) is sure to show it: waiting for an older
      // one could mean reading twice in a row.
      if (sharing && seen !== null && sharing.knowing >= seen) {
        const shared = await sharing.page.catch(() => undefined);
        if (shared && shared.revision !== null && shared.revision >= seen) return shared;
      }
    }
    return this.read(partnerId, key, read);
  }

  /** The page kept under `key` if it was read at `revision`. */
  get(key: string, revision: number | null): ReviewPage | undefined {
    const kept = this.pages.get(key);
    if (!kept || revision === null || kept.revision !== revision) return undefined;
    this.pages.delete(key); // most recently used last
    this.pages.set(key, kept);
    return kept;
  }

  /**
   * Keeps `json` read at `revision` unless a page of a later revision is kept already (a slow read finishing after a
   * newer one) or there is no revision yet; the page as sent.
   */
  put(key: string, revision: number | null, json: string): ReviewPage {
    const body = Buffer.from(json, 'utf8');
    const page = { body, etag: weakEtag(body) };
    const current = this.pages.get(key);
    if (revision === null || (current && current.revision > revision)) return page;
    this.drop(key);
    const bytes = body.length;
    if (bytes > this.maxBytes) return page;
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

  private read(partnerId: string, key: string, read: () => Promise<ReadPage>): Promise<Loaded> {
    const knowing = this.latest.get(partnerId) ?? -1;
    const page: Promise<Loaded> = read()
      .then(({ json, revision }) => {
        this.saw(partnerId, revision);
        return { ...this.put(key, revision, json), revision };
      })
      .finally(() => {
        if (this.reading.get(key)?.page === page) this.reading.delete(key);
      });
    this.reading.set(key, { page, knowing });
    return page;
  }

  /** Remembers the latest revision seen of the partner's queue (revisions grow: a page kept at a lower one is outdated). */
  private saw(partnerId: string, revision: number | null): void {
    if (revision !== null && revision > (this.latest.get(partnerId) ?? -1)) this.latest.set(partnerId, revision);
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
export function weakEtag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${body.length.toString(16)}-${hash}"`;
}
