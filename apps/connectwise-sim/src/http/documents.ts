import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { DOCUMENT_RECORD_TYPES, documents } from '../resources/system';
import type { SimRecord } from '../simulator/state';
import { ApiError, type ValidationIssue } from './api-error';
import { type MultipartPart, mediaType, parseMultipart } from './body';
import { type Reply, type RequestContext, type Route, route } from './context';
import { CrudHandlers } from './crud';
import { assertAllowed, isAllowed } from './security';
import { renderRecord } from '../resources/render';

/** The record types of the spec's enum on GET /system/documents?recordType=… (API-NOTES §10.8). */
const RECORD_TYPES = new Set([
  'Activity', 'Agreement', 'Company', 'Config', 'Configuration', 'Contact', 'CustomImage', 'Document', 'Expense', 'HTMLTemplate',
  'Invoice', 'Opportunity', 'Project', 'ProjectActivity', 'PurchaseOrder', 'Rma', 'SalesOrder', 'Service', 'Ticket', 'ProjectTicket',
  'ServiceTemplate', 'StandardServiceTemplate', 'SrDetail', 'TimeEntry', 'JobHeader', 'MarketingManagerAudit', 'KnowledgeBase',
  'ToolbarIcon', 'Meeting', 'MeetingNote', 'ProductSetup', 'ProjectTemplateTicket', 'BillingSetup', 'ServiceBoard', 'WordTemplate',
  'Member', 'PortalImagePortalLogo', 'PortalImageReportLogo', 'TopNavigationLogo', 'PhaseStatus', 'ProjectStatus', 'TicketStatus',
  'Schedule', 'Priority', 'Unassigned',
]);

const crud = new CrudHandlers(documents);

/**
 * `system/documents`: multipart upload (201 DocumentInfo; JSON → 415), list by `recordType` +
 * `recordId`, count, get, download (octet-stream with Content-Disposition) and delete (204). Rights
 * follow the record the document is attached to: inquire to list/download, edit to upload, delete to
 * delete (docs/connectwise-permissions.md; unverified against a live server). The simulator attaches
 * documents to agreements, companies and contacts; other record types of the enum are refused.
 */
export function documentRoutes(): Route[] {
  return [
    route('system/documents', { GET: list, POST: upload }),
    route('system/documents/count', { GET: (ctx) => crud.count(ctx, visible(ctx)) }),
    route('system/documents/{id}', { GET: get, DELETE: remove }),
    route('system/documents/{id}/download', { GET: download }),
  ];
}

function list(ctx: RequestContext): Reply {
  return crud.list(ctx, visible(ctx));
}

/** Documents filtered by the recordType/recordId query parameters and by the caller's rights. */
function visible(ctx: RequestContext): SimRecord[] {
  const recordType = ctx.query.get('recordType') ?? undefined;
  const recordIdText = ctx.query.get('recordId') ?? undefined;
  if (recordType !== undefined && !RECORD_TYPES.has(recordType)) {
    throw ApiError.badRequest(`recordType '${recordType}' is not valid.`);
  }
  if (recordIdText !== undefined && !/^\d+$/.test(recordIdText)) throw ApiError.badRequest('recordId must be an integer.');
  const recordId = recordIdText === undefined ? undefined : Number(recordIdText);
  if (recordType && DOCUMENT_RECORD_TYPES[recordType]) {
    assertAllowed(ctx.sim.state, ctx.member, DOCUMENT_RECORD_TYPES[recordType].security, 'inquire');
  }
  return ctx.sim.state
    .list(documents.key)
    .filter(
      (doc) =>
        (recordType === undefined || doc.recordType === recordType) &&
        (recordId === undefined || doc.recordId === recordId) &&
        mayAccess(ctx, doc, 'inquire'),
    );
}

function mayAccess(ctx: RequestContext, doc: SimRecord, action: 'inquire' | 'edit' | 'delete'): boolean {
  const type = DOCUMENT_RECORD_TYPES[doc.recordType as string];
  return type ? isAllowed(ctx.sim.state, ctx.member, type.security, action) : false;
}

function findDocument(ctx: RequestContext, action: 'inquire' | 'delete'): SimRecord {
  const doc = ctx.sim.state.get(documents.key, ctx.params.id);
  if (!doc) throw ApiError.notFound('Document', ctx.params.id);
  if (!mayAccess(ctx, doc, action)) throw ApiError.security();
  return doc;
}

function get(ctx: RequestContext): Reply {
  return { status: 200, body: renderRecord(documents, findDocument(ctx, 'inquire'), ctx.hrefBase) };
}

function remove(ctx: RequestContext): Reply {
  const doc = findDocument(ctx, 'delete');
  ctx.sim.state.remove(documents.key, doc.id);
  return { status: 204 };
}

function download(ctx: RequestContext): Reply {
  const doc = findDocument(ctx, 'inquire');
  const content = ctx.sim.state.documentContent(doc.id) ?? Buffer.alloc(0);
  const fileName = (typeof doc.fileName === 'string' ? doc.fileName : `document-${doc.id}`).replace(/"/g, '');
  return {
    status: 200,
    raw: content,
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${fileName}"` },
  };
}

async function upload(ctx: RequestContext): Promise<Reply> {
  const type = mediaType(ctx.req);
  if (type !== 'multipart/form-data') {
    // "415 … can occur when using the documents API if you are sending the file as a JSON object" (guide).
    throw new ApiError(415, {
      code: 'UnsupportedMediaType',
      message: `The request entity's media type '${type || 'none'}' is not supported for this resource; send multipart/form-data.`,
    });
  }
  const parts = parseMultipart(await ctx.body(), ctx.req.headers['content-type'] ?? '');
  const field = (name: string): MultipartPart | undefined => parts.find((p) => p.name.toLowerCase() === name.toLowerCase());
  const text = (name: string): string | undefined => field(name)?.data.toString('utf8');
  const issues: ValidationIssue[] = [];
  const issue = (code: ValidationIssue['code'], name: string, message: string) =>
    issues.push({ code, message, resource: 'document', field: name });

  const file = field('file');
  if (!file) issue('MissingRequiredField', 'file', 'The file field is required.');
  const recordType = text('recordType');
  const recordIdText = text('recordId');
  if (!recordType) issue('MissingRequiredField', 'recordType', 'The recordType field is required.');
  if (!recordIdText) issue('MissingRequiredField', 'recordId', 'The recordId field is required.');
  if (recordIdText && !/^\d+$/.test(recordIdText.trim())) {
    throw ApiError.conversion(recordIdText, 'System.Nullable`1[System.Int32]', 'recordId');
  }
  const recordId = recordIdText ? Number(recordIdText.trim()) : undefined;
  const target = recordType ? DOCUMENT_RECORD_TYPES[recordType] : undefined;
  if (recordType && !RECORD_TYPES.has(recordType)) issue('InvalidField', 'recordType', `recordType '${recordType}' is not valid.`);
  else if (recordType && !target) issue('InvalidField', 'recordType', `The simulator does not attach documents to ${recordType} records.`);
  if (issues.length > 0) throw ApiError.invalidObject('document', issues);

  assertAllowed(ctx.sim.state, ctx.member, target!.security, 'edit');
  if (!ctx.sim.state.get(target!.collection, recordId!)) {
    throw ApiError.invalidObject('document', [
      { code: 'NotFound', message: `${recordType} ${recordId} not found`, resource: 'document', field: 'recordId' },
    ]);
  }
  const flag = (name: string): boolean => /^(true|1)$/i.test(text(name)?.trim() ?? '');
  const fileName = file!.filename || text('title') || 'document';
  const guid = randomUUID();
  const content = file!.data;
  const stored = ctx.sim.state.insert(documents.key, {
    title: text('title') || fileName,
    fileName,
    serverFileName: `${guid}${extname(fileName)}`,
    owner: ctx.member.identifier,
    linkFlag: false,
    imageFlag: (file!.contentType ?? '').startsWith('image/'),
    publicFlag: !flag('privateFlag'),
    htmlTemplateFlag: false,
    // The spec's form field is spelled `readOnlyFlay` (sic); both spellings are accepted.
    readOnlyFlag: flag('readOnlyFlag') || flag('readOnlyFlay'),
    size: content.length,
    urlFlag: false,
    createdOnDate: ctx.now,
    documentType: { id: 1, name: 'Document' },
    guid,
    _info: { lastUpdated: ctx.now, updatedBy: ctx.member.identifier },
    recordType,
    recordId,
    contentType: file!.contentType ?? 'application/octet-stream',
  });
  ctx.sim.state.setDocumentContent(stored.id, Buffer.from(content));
  return { status: 201, body: renderRecord(documents, stored, ctx.hrefBase) };
}
