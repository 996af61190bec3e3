import { cwIn } from '../conditions';
import type { CreateOptions } from '../create';
import { ConnectWiseError } from '../errors';
import { listAll, type ListQuery } from '../paging';
import type { DocumentInfo } from '../types';
import { Collection, checkId, type ResourceContext } from './collection';

export interface DocumentUpload {
  /** `Agreement`, `Company`, `Ticket`, … (the spec's recordType enum). */
  recordType: string;
  recordId: number;
  title: string;
  fileName: string;
  content: Uint8Array | string;
  /** Default `application/octet-stream`. */
  contentType?: string;
  privateFlag?: boolean;
  readOnlyFlag?: boolean;
}

export interface DownloadedDocument {
  content: Buffer;
  fileName?: string;
  contentType?: string;
}

/** `/system/documents`: multipart upload, list by record, download, delete. */
export class DocumentsResource {
  private readonly docs: Collection<DocumentInfo>;

  constructor(private readonly ctx: ResourceContext) {
    this.docs = new Collection<DocumentInfo>(ctx, '/system/documents');
  }

  /**
   * Uploads a file as multipart/form-data (Node's FormData and Blob). A document has no natural key, so an
   * ambiguous failure is only re-tried when `options.refind` is given (e.g. `findByTitle`).
   */
  upload(doc: DocumentUpload, options: CreateOptions<DocumentInfo> = {}): Promise<DocumentInfo> {
    const form = new FormData();
    const bytes = typeof doc.content === 'string' ? Buffer.from(doc.content, 'utf8') : doc.content;
    form.append('file', new Blob([bytes], { type: doc.contentType ?? 'application/octet-stream' }), doc.fileName);
    form.append('recordType', doc.recordType);
    form.append('recordId', String(checkId(doc.recordId)));
    form.append('title', doc.title);
    if (doc.privateFlag !== undefined) form.append('privateFlag', String(doc.privateFlag));
    if (doc.readOnlyFlag !== undefined) form.append('readOnlyFlag', String(doc.readOnlyFlag));
    return this.docs.createRecord(form, options.refind);
  }

  /** Every document attached to a record. */
  listByRecord(recordType: string, recordId: number, query?: ListQuery): Promise<DocumentInfo[]> {
    return listAll<DocumentInfo>(this.ctx.api, '/system/documents', query, { recordType, recordId: checkId(recordId) });
  }

  /**
   * Which of these document ids still exist among the record type's documents: one `GET /system/documents?recordType=…`
   * with `conditions=id in (…)` and `fields=id`. `conditions` is a documented parameter of that list; listing it with a
   * recordType and no recordId is unverified against a live server (the caller falls back to `listByRecord`).
   */
  async existingIds(recordType: string, ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const docs = await listAll<DocumentInfo>(
      this.ctx.api,
      '/system/documents',
      // One more than the ids asked for: the answer is a short page, so no second page is read.
      { conditions: cwIn('id', ids.map(checkId)), fields: ['id'], pageSize: Math.min(1000, ids.length + 1) },
      { recordType },
    );
    return new Set(docs.flatMap((d) => (d.id === undefined ? [] : [d.id])));
  }

  /** The newest document (highest id) with this exact title on the record. */
  async findByTitle(recordType: string, recordId: number, title: string): Promise<DocumentInfo | undefined> {
    const docs = await this.listByRecord(recordType, recordId);
    return docs.filter((d) => d.title === title).sort((a, b) => (b.id ?? 0) - (a.id ?? 0))[0];
  }

  get(id: number): Promise<DocumentInfo> {
    return this.docs.get(id);
  }

  async download(id: number): Promise<DownloadedDocument> {
    const res = await this.ctx.api.request<unknown>({ method: 'GET', path: `/system/documents/${checkId(id)}/download`, binary: true });
    const data = res.data;
    if (!Buffer.isBuffer(data) && !(data instanceof ArrayBuffer)) {
      throw new ConnectWiseError({ kind: 'unexpected-response', message: 'ConnectWise document download returned no bytes', method: 'GET', path: '/system/documents/download' });
    }
    return {
      content: Buffer.isBuffer(data) ? data : Buffer.from(data),
      fileName: fileNameFromDisposition(res.headers['content-disposition']),
      contentType: res.headers['content-type'],
    };
  }

  delete(id: number): Promise<void> {
    return this.docs.delete(id);
  }
}

/** `attachment; filename="users.csv"` or RFC 5987 `filename*=UTF-8''users%20list.csv`. */
export function fileNameFromDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  return plain ? (plain[2] ?? plain[1]).trim() : undefined;
}
