/**
 * The users CSV on the agreement, crash-safe without duplicates, with no ConnectWise call beyond the upload and
 * the removal of our previous copy. The ledger (`UsersCsvStore`) is what makes that possible:
 *
 * 1. Same hash, title and file name as the ones recorded, nothing pending, not found missing → nothing at all (no
 *    ConnectWise call).
 * 2. Settled ledger, content or account name changed → mark the upload pending, upload, delete the recorded copy,
 *    record the new one (clearing the mark). No listing: the ledger knows which copy is ours. If the recorded copy
 *    is already gone (a ledger restored from an older backup), the documents are listed once to find any other
 *    copy of ours.
 * 3. A pending mark left by a crash, or a recorded copy the run's existence check found deleted by hand
 *    (`missing`, see markDeletedUsersCsvs) → list the agreement's documents: one titled with this content's hash (the
 *    upload whose record was lost) is adopted, otherwise the file is uploaded; every other copy of ours (the
 *    recorded document, or one in our title and file-name format, `Users - <account> (<12 hex>)`,
 *    `users-<slug>.csv`) is deleted. Nothing else is ever deleted. A restored copy adds a `users-csv-restored` warning.
 * An ambiguous upload failure is settled by looking for that title, never by a blind re-upload. The record is
 * saved last, so a crash anywhere before leaves the mark for the next export.
 */
import { type ConnectWiseClient, type DocumentInfo, isConnectWiseError } from '@cwx/connectwise';
import { type AccountUser, buildUsersCsv, shouldAttachUsersCsv, type UsersCsv } from '@cwx/domain';
import type { ResultWarning } from '@cwx/messaging';
import { settleFailure } from '../errors';
import { guardStore } from '../shared/guards';
import type { StoredUsersCsv, UsersCsvStore } from '../stores/stores';
import type { AppliedOperation, ExportErrorInfo } from '../types';

export const USERS_CSV_TITLE_PREFIX = 'Users - ';
/** ConnectWise document titles hold at most 100 characters. */
export const DOCUMENT_TITLE_MAX = 100;
const HASH_IN_TITLE = 12;
const OUR_TITLE = /^Users - [^\r\n]* \([0-9a-f]{12}\)$/;
const OUR_FILE_NAME = /^users-[a-z0-9-]+\.csv$/;

/** `Users - <account name> (<first 12 hex digits of the SHA-256>)`, at most 100 characters, on one line. */
export function usersCsvTitle(accountName: string, sha256: string): string {
  const suffix = ` (${sha256.slice(0, HASH_IN_TITLE).toLowerCase()})`;
  const room = DOCUMENT_TITLE_MAX - USERS_CSV_TITLE_PREFIX.length - suffix.length;
  const oneLine = accountName.replace(/\p{Cc}+/gu, ' ').replace(/\s+/g, ' ').trim() || 'account';
  const name = oneLine.length <= room ? oneLine : `${cutToLength(oneLine, room - 1).trimEnd()}…`;
  return `${USERS_CSV_TITLE_PREFIX}${name}${suffix}`;
}

/** At most `max` UTF-16 code units (what ConnectWise's length limits count), never splitting a surrogate pair. */
function cutToLength(text: string, max: number): string {
  let out = '';
  for (const point of text) {
    if (out.length + point.length > max) break;
    out += point;
  }
  return out;
}

/** A document this product attached: the one recorded, or one in our title and file-name format. */
export function isOurUsersCsv(doc: DocumentInfo, recordedId: number | undefined): boolean {
  if (doc.id !== undefined && doc.id === recordedId) return true;
  return OUR_TITLE.test(doc.title ?? '') && OUR_FILE_NAME.test(doc.fileName ?? '');
}

export interface UsersCsvStepInput {
  partnerId: string;
  agreementId: number;
  accountName: string;
  users: readonly AccountUser[];
  dryRun: boolean;
}

export interface UsersCsvStepResult {
  /** Absent when the content did not change. */
  operation?: AppliedOperation;
  /** ConnectWise writes made (or, in a preview, planned): the upload and the deletions. */
  writes: number;
  /** Why a copy was attached again (deleted by hand in ConnectWise). */
  warnings?: ResultWarning[];
}

export async function syncUsersCsv(
  deps: UsersCsvDeps,
  input: UsersCsvStepInput,
): Promise<UsersCsvStepResult> {
  const { partnerId, agreementId } = input;
  const csv = buildUsersCsv(input.accountName, input.users);
  const record = await guardStore('read users CSV record', () => deps.usersCsv.get(partnerId, agreementId));
  const settled = record?.pendingSha256 === undefined && !record?.missing;
  const title = usersCsvTitle(input.accountName, csv.sha256);
  const recorded = record?.document;
  if (settled && recorded && !shouldAttachUsersCsv(recorded.sha256, csv) && namedAsRecorded(recorded, title, csv.fileName)) return { writes: 0 };
  if (settled) return replaceRecordedCopy(deps, input, csv, title, recorded);

  const result = await settleFromDocuments(deps, input, csv, title, recorded);
  if (record?.missing && recorded) {
    result.warnings = [
      { code: 'users-csv-restored', message: `The users CSV (document ${recorded.documentId}) was deleted in ConnectWise; it was attached again.` },
    ];
  }
  return result;
}

/**
 * Whether the recorded copy carries the title and file name this account's name gives now (a rename changes both).
 * A row recorded before titles (or file names) were kept is taken as current: it is renamed with its next upload.
 */
function namedAsRecorded(recorded: StoredUsersCsv, title: string, fileName: string): boolean {
  return (recorded.title === undefined || recorded.title === title) && (recorded.fileName === undefined || recorded.fileName === fileName);
}

/** Agreements per existence query: 100 ids keep the condition near 1,100 characters, well inside a URL's usual limit. */
export const DOCUMENT_CHECK_BATCH = 100;

/**
 * Once per run, before the account jobs: finds the recorded users CSVs that were deleted in ConnectWise and marks
 * them `missing`, so each account job attaches its CSV again without a read of its own. One read per 100 recorded
 * copies (`existingIds`). Should ConnectWise refuse that list without a recordId (unverified), each agreement's
 * documents are listed instead: one read per agreement, correct but dearer. Returns how many copies were checked, the
 * agreements marked, and the error of a check that could not be made. Throws `RetryableExportError` and
 * `CredentialsRejectedError` as the jobs do.
 */
export async function markDeletedUsersCsvs(
  deps: UsersCsvDeps,
  input: { partnerId: string; agreementIds: readonly number[] },
): Promise<{ checked: number; missing: number[]; error?: ExportErrorInfo }> {
  const recorded = await guardStore('list users CSV records', () => deps.usersCsv.listRecorded(input.partnerId, input.agreementIds));
  const missing: number[] = [];
  try {
    for (let i = 0; i < recorded.length; i += DOCUMENT_CHECK_BATCH) {
      const batch = recorded.slice(i, i + DOCUMENT_CHECK_BATCH);
      const present = await presentDocuments(deps.connectwise, batch);
      for (const { agreementId, documentId } of batch) {
        if (present.has(documentId)) continue;
        await guardStore('mark users CSV missing', () => deps.usersCsv.markMissing(input.partnerId, agreementId, documentId));
        missing.push(agreementId);
      }
    }
  } catch (error) {
    // Retryable and credential failures are thrown as the jobs' error classes; a final one (e.g. no right to read
    // documents) only skips the check: the CSVs are then handled as before, by their content.
    return { checked: recorded.length, missing, error: settleFailure(error, undefined) };
  }
  return { checked: recorded.length, missing };
}

async function presentDocuments(client: ConnectWiseClient, batch: readonly { agreementId: number; documentId: number }[]): Promise<Set<number>> {
  try {
    return await client.documents.existingIds('Agreement', batch.map((r) => r.documentId));
  } catch (error) {
    if (!isConnectWiseError(error, 'invalid')) throw error;
    const present = new Set<number>();
    for (const { agreementId } of batch) {
      for (const doc of await client.documents.listByRecord('Agreement', agreementId)) if (doc.id !== undefined) present.add(doc.id);
    }
    return present;
  }
}

type UsersCsvDeps = { connectwise: ConnectWiseClient; usersCsv: UsersCsvStore };

/** Step 2: the ledger is settled, so it names our only copy. */
async function replaceRecordedCopy(
  deps: UsersCsvDeps,
  input: UsersCsvStepInput,
  csv: UsersCsv,
  title: string,
  recorded: StoredUsersCsv | undefined,
): Promise<UsersCsvStepResult> {
  const { partnerId, agreementId } = input;
  const operation: AppliedOperation = {
    entity: 'document',
    action: recorded ? 'replace' : 'attach',
    id: null,
    changes: [
      { field: 'sha256', before: recorded?.sha256 ?? null, after: csv.sha256 },
      { field: 'title', before: recorded ? (recorded.title ?? usersCsvTitle(input.accountName, recorded.sha256)) : null, after: title },
    ],
  };
  if (recorded?.fileName !== undefined && recorded.fileName !== csv.fileName) {
    operation.changes.push({ field: 'fileName', before: recorded.fileName, after: csv.fileName });
  }
  if (recorded) operation.replacedIds = [recorded.documentId];
  let writes = recorded ? 2 : 1;
  if (input.dryRun) return { operation, writes };

  await guardStore('mark users CSV upload', () => deps.usersCsv.markPending(partnerId, agreementId, csv.sha256));
  const documentId = await upload(deps.connectwise, agreementId, title, csv);
  operation.id = documentId;
  if (recorded && !(await deleteIfPresent(deps.connectwise, recorded.documentId))) {
    // The recorded copy was gone already: the ledger may be behind ConnectWise, so look for other copies of ours.
    const strays = (await listOurCopies(deps.connectwise, agreementId, undefined)).filter((d) => d.id !== documentId);
    for (const doc of strays) await deleteIfPresent(deps.connectwise, doc.id!);
    writes += strays.length;
    if (strays.length > 0) operation.replacedIds = strays.map((d) => d.id!).sort((a, b) => a - b);
    else {
      operation.action = 'attach';
      delete operation.replacedIds;
    }
  }
  await guardStore('save users CSV record', () => deps.usersCsv.save(partnerId, agreementId, { documentId, sha256: csv.sha256, title, fileName: csv.fileName }));
  return { operation, writes };
}

/** Step 3: an upload may have happened that the ledger does not know; the agreement's documents decide. */
async function settleFromDocuments(
  deps: UsersCsvDeps,
  input: UsersCsvStepInput,
  csv: UsersCsv,
  title: string,
  recorded: StoredUsersCsv | undefined,
): Promise<UsersCsvStepResult> {
  const { partnerId, agreementId } = input;
  const ours = await listOurCopies(deps.connectwise, agreementId, recorded?.documentId);
  const current = ours.filter((d) => d.title === title).sort((a, b) => (b.id ?? 0) - (a.id ?? 0))[0];
  const older = ours.filter((d) => d !== current);

  const operation: AppliedOperation = {
    entity: 'document',
    action: older.length > 0 ? 'replace' : current ? 'adopt' : 'attach',
    id: current?.id ?? null,
    changes: [
      { field: 'sha256', before: recorded?.sha256 ?? null, after: csv.sha256 },
      { field: 'title', before: titleOf(older, recorded?.documentId), after: title },
    ],
  };
  if (older.length > 0) operation.replacedIds = older.map((d) => d.id!).sort((a, b) => a - b);
  const writes = (current ? 0 : 1) + older.length;
  if (input.dryRun) return { operation, writes };

  const documentId = current?.id ?? (await upload(deps.connectwise, agreementId, title, csv));
  operation.id = documentId;
  for (const doc of older) await deleteIfPresent(deps.connectwise, doc.id!);
  await guardStore('save users CSV record', () => deps.usersCsv.save(partnerId, agreementId, { documentId, sha256: csv.sha256, title, fileName: csv.fileName }));
  return { operation, writes };
}

/** The agreement's documents that are ours (see isOurUsersCsv), each with an id. */
async function listOurCopies(client: ConnectWiseClient, agreementId: number, recordedId: number | undefined): Promise<DocumentInfo[]> {
  const documents = await client.documents.listByRecord('Agreement', agreementId);
  return documents.filter((d) => d.id !== undefined && isOurUsersCsv(d, recordedId));
}

async function upload(client: ConnectWiseClient, agreementId: number, title: string, csv: UsersCsv): Promise<number> {
  const doc = await client.documents.upload(
    { recordType: 'Agreement', recordId: agreementId, title, fileName: csv.fileName, content: csv.content, contentType: 'text/csv' },
    { refind: () => client.documents.findByTitle('Agreement', agreementId, title) },
  );
  if (doc.id === undefined) throw new Error('ConnectWise returned a document without an id');
  return doc.id;
}

/** Someone may have deleted it already: a 404 is the outcome we wanted. False when it was gone. */
async function deleteIfPresent(client: ConnectWiseClient, id: number): Promise<boolean> {
  try {
    await client.documents.delete(id);
    return true;
  } catch (error) {
    if (!isConnectWiseError(error, 'not-found')) throw error;
    return false;
  }
}

function titleOf(older: readonly DocumentInfo[], recordedId: number | undefined): string | null {
  const doc = older.find((d) => d.id === recordedId) ?? older[older.length - 1];
  return doc?.title ?? null;
}
