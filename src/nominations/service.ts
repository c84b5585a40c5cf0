// The rules of nominations (N1–N7): drafts and submission, consent, moderation, the gallery and who may
// see what. Takes `now`; never sees req/res. Says what happened through deps.events (after commit).
import crypto from 'node:crypto';
import type { Db, Queryable } from '../db';
import { isUniqueViolation } from '../db';
import { AppError, ValidationError, conflict, forbidden, notFound, type FieldErrors } from '../errors';
import * as editions from '../editions/service';
import * as audit from '../audit/service';
import * as notifications from '../notifications/service';
import type { ConsentAnswer as ConsentAnswered, Events } from '../events';
import type { Viewer } from '../auth/viewer';
import * as files from '../attachments/files';
import { buildSearchText } from './search-text';
import { foldForSearch } from '../i18n';
import { cachedRead } from '../read-cache';
import * as queries from './queries';
import { hardErrors, submitErrors, type NominationInput } from './validation';

export type { Nomination, NominationRef, Nominee, Attachment, Status, Consent, DeclinePolicy } from './queries';
export { LIMITS } from './validation';

export type Deps = {
  db: Db;
  events: Events;
  dataDir: string;
  /** ALLOWED_EMAIL_DOMAINS: named colleagues must have an address there (no mail to outsiders). */
  allowedEmailDomains?: string[];
};

/**
 * Whether a colleague may be named: their address is at one of the organisation's domains. With no
 * domains configured, only someone who has signed in (and so is in the organisation's directory).
 */
export function mayBeNamed(email: string, knownUser: boolean, domains: readonly string[]): boolean {
  if (domains.length === 0) return knownUser;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.includes(domain);
}

/** What one person may keep in attachments across all their nominations (SPEC §6). */
export const UPLOAD_QUOTA_BYTES = 100 * 1024 * 1024;

/** The nomination form's paths: the only requests that may carry files. */
export const acceptsUploads = (path: string) => path === '/nominate' || /^\/nominations\/\d{1,9}$/.test(path);

export const storedAttachmentBytes = (db: Queryable, userId: number) => queries.storedBytesOf(db, userId);

/** A file received with a form, on disk until the response is over; read only when its size is allowed. */
export type Upload = { originalName: string; size: number; read(): Promise<Buffer> };

const EDITABLE: queries.Status[] = ['draft', 'changes_requested', 'awaiting_consent', 'in_moderation'];

// ---------------------------------------------------------------- pure rules (unit-tested)

/** Whether consent still stops the entry from being published (N3). */
export function consentBlocks(nominees: Array<Pick<queries.Nominee, 'consent'>>, policy: queries.DeclinePolicy): boolean {
  return nominees.some((n) => n.consent === 'pending' || (policy === 'keep_unpublished' && (n.consent === 'declined' || n.consent === 'withdrawn')));
}

/** The status after consent changed: waiting entries move on when nothing blocks, others go back. */
export function statusAfterConsent(status: queries.Status, blocking: boolean): queries.Status {
  if (status === 'awaiting_consent' && !blocking) return 'in_moderation';
  if ((status === 'in_moderation' || status === 'published') && blocking) return 'awaiting_consent';
  return status;
}

/** The submitter's next steps for My nominations (N5). */
export function nextSteps(status: queries.Status, judgingStarted: boolean): { edit: boolean; withdraw: boolean } {
  return {
    edit: EDITABLE.includes(status),
    withdraw: !judgingStarted && status !== 'withdrawn' && status !== 'rejected',
  };
}

/** A 32-bit hash of (seed, id): the visitor's stable random order (N6), independent of the page. */
export function orderKey(seed: number, id: number): number {
  let h = (Math.imul(id, 0x9e3779b1) ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Ids below this pack with their 32-bit key into one double exactly (2^32 · 2^21 = 2^53). */
const PACKED_ID_LIMIT = 2 ** 21;

export function seededOrder(ids: number[], seed: number): number[] {
  // Every gallery page orders the whole list: (key, id) packed into one number, exact below 2^53, sorts
  // natively without an object per entry (half the time of the sort with a comparator).
  if (ids.every((id) => Number.isInteger(id) && id >= 0 && id < PACKED_ID_LIMIT)) {
    const packed = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) packed[i] = orderKey(seed, ids[i]) * PACKED_ID_LIMIT + ids[i];
    packed.sort();
    const ordered = new Array<number>(ids.length);
    for (let i = 0; i < packed.length; i++) ordered[i] = packed[i] % PACKED_ID_LIMIT;
    return ordered;
  }
  return ids
    .map((id) => ({ id, key: orderKey(seed, id) }))
    .sort((a, b) => a.key - b.key || a.id - b.id)
    .map((x) => x.id);
}

// ---------------------------------------------------------------- who may see what

export type EntryView = {
  nomination: queries.Nomination;
  /** Names shown on the entry: consented colleagues, and the submitter when they chose to be shown. */
  names: string[];
  submitterShown: string | null;
  attachments: queries.Attachment[];
  nominees: queries.Nominee[];
};

function publicNames(n: queries.Nomination, nominees: queries.Nominee[]): { names: string[]; submitterShown: string | null } {
  const names = nominees.filter((x) => x.consent === 'given').map((x) => x.name);
  const submitterShown = n.showSubmitter && n.submitterName ? n.submitterName : null;
  if (n.includesSelf && submitterShown) names.unshift(submitterShown);
  return { names, submitterShown };
}

/** Rows of named colleagues or attachments by their entry, in their order. */
function byEntry<T extends { nominationId: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.nominationId);
    if (list) list.push(r);
    else out.set(r.nominationId, [r]);
  }
  return out;
}

async function toViews(db: Queryable, list: queries.Nomination[]): Promise<EntryView[]> {
  const ids = list.map((n) => n.id);
  const [nominees, attachments] = await Promise.all([queries.nomineesOf(db, ids), queries.attachmentsOf(db, ids)]);
  const nomineesBy = byEntry(nominees);
  const attachmentsBy = byEntry(attachments);
  return list.map((n) => {
    const mine = nomineesBy.get(n.id) ?? [];
    return { nomination: n, ...publicNames(n, mine), attachments: attachmentsBy.get(n.id) ?? [], nominees: mine };
  });
}

// ---------------------------------------------------------------- reads for the other features
// The nominations table is this feature's: voting, the jury, the ceremony, the archive, the exports,
// privacy, live and the statistics read entries here, mapped once in queries.ts.

/** A nomination's id, edition, status, title and submitter, without its texts (votes, polls). */
export const findRef = queries.findRef;
export const refsByIds = queries.refsByIds;
/** The published entries of an edition without their texts, by id. */
export const listPublishedRefs = queries.listPublishedRefs;

/** The titles of entries by id (a poll's finalists). */
export async function titlesOf(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  return new Map((await queries.refsByIds(db, ids)).map((r) => [r.id, r.title]));
}

/**
 * Own entries (V1): submitted by the person, or naming them (by account or address) unless they
 * declined. Nobody votes for their own entry.
 */
export const ownEntryIds = queries.ownEntryIds;
export const isOwnEntry = queries.isOwnEntry;

/** Published entries of editions, newest edition first (the archive and its search). */
export const listPublishedIn = queries.listPublishedIn;
export const countPublishedIn = queries.countPublishedIn;

/** Every submitted entry of an edition with its named colleagues, by id (the exports, R3). */
export async function submittedIn(db: Queryable, editionId: number): Promise<Array<{ nomination: queries.Nomination; nominees: queries.Nominee[] }>> {
  const list = await queries.listSubmittedIn(db, editionId);
  const nominees = byEntry(await queries.nomineesOf(db, list.map((n) => n.id)));
  return list.map((n) => ({ nomination: n, nominees: nominees.get(n.id) ?? [] }));
}

/** The department name of each entry (null when none was chosen). */
export async function departmentNames(db: Queryable, ids: number[]): Promise<Map<number, string | null>> {
  return new Map((await queries.listByIds(db, ids)).map((n) => [n.id, n.departmentName]));
}

/** Everything a person submitted, oldest first, with named colleagues and attachments ("my data", R6). */
export async function allBySubmitter(db: Queryable, submitterId: number): Promise<EntryView[]> {
  const list = (await queries.listBySubmitter(db, submitterId)).sort((a, b) => a.id - b.id);
  return toViews(db, list);
}

/** The consent requests addressed to a person (by account or address), oldest first, with the entry asked about. */
export async function consentRequestsOf(db: Queryable, userId: number, email: string): Promise<Array<{ nominee: queries.Nominee; nomination: queries.Nomination }>> {
  const requests = (await queries.nomineesForPerson(db, userId, email)).sort((a, b) => a.id - b.id);
  const about = new Map((await queries.listByIds(db, [...new Set(requests.map((r) => r.nominationId))])).map((n) => [n.id, n]));
  return requests.flatMap((r) => {
    const nomination = about.get(r.nominationId);
    return nomination ? [{ nominee: r, nomination }] : [];
  });
}

/** Drafts not touched since `olderThan`, with their stored file names; deleteDrafts removes them (R6). */
export const staleDrafts = queries.staleDrafts;
export const deleteDrafts = queries.deleteDrafts;

/** Totals for the statistics dashboard (R2). */
export const countsByDepartment = queries.countsByDepartment;
export const statusCounts = queries.statusCounts;

/** A published entry as the jury reads it: with its named colleagues and how many files it has. */
export type JuryReading = { nomination: queries.Nomination; nominees: queries.Nominee[]; attachmentCount: number };

/** The published entries of an edition for the jury, by id; or just one of them. Three reads. */
export async function publishedForJury(db: Queryable, editionId: number, onlyId?: number): Promise<JuryReading[]> {
  const list = await queries.listPublishedOf(db, editionId, onlyId);
  const ids = list.map((n) => n.id);
  const nominees = byEntry(await queries.nomineesOf(db, ids));
  const files = await queries.attachmentCounts(db, ids);
  return list.map((n) => ({ nomination: n, nominees: nominees.get(n.id) ?? [], attachmentCount: files.get(n.id) ?? 0 }));
}

/** The published entries of an edition without their texts, with their named colleagues: two reads (the ranking, issue 9). */
export async function publishedRefsWithNominees(db: Queryable, editionId: number): Promise<Array<{ ref: queries.NominationRef; nominees: queries.Nominee[] }>> {
  const refs = await queries.listPublishedRefs(db, editionId);
  const nominees = byEntry(refs.length ? await queries.nomineesOfPublishedIn(db, editionId) : []);
  return refs.map((ref) => ({ ref, nominees: nominees.get(ref.id) ?? [] }));
}

export const isInvolved = (db: Queryable, userId: number, nominationId: number) => queries.isInvolved(db, userId, nominationId);
export const involvedNominationIds = queries.involvedNominationIds;

/** Published entries by id, in the order given (the ceremony's result, the voting page). */
export async function getPublishedEntries(db: Queryable, ids: number[]): Promise<EntryView[]> {
  const list = (await queries.listByIds(db, ids)).filter((n) => n.status === 'published');
  const views = await toViews(db, list);
  return ids.map((id) => views.find((v) => v.nomination.id === id)).filter((v): v is EntryView => Boolean(v));
}

/** Whether a viewer may read an entry: published for everyone; drafts for the submitter; the rest for those involved and admins. */
export async function canView(db: Queryable, viewer: Viewer, n: queries.Nomination): Promise<boolean> {
  if (n.status === 'published') return true;
  if (n.submitterId === viewer.user.id) return true;
  if (n.status === 'draft') return false;
  if (viewer.roles.admin) return true;
  if (n.status === 'withdrawn') return false;
  return queries.isInvolved(db, viewer.user.id, n.id);
}

export async function entryForViewer(db: Queryable, viewer: Viewer, id: number): Promise<EntryView> {
  const n = Number.isInteger(id) ? await queries.findById(db, id) : null;
  if (!n || !(await canView(db, viewer, n))) throw notFound();
  return (await toViews(db, [n]))[0];
}

export async function attachmentForViewer(db: Queryable, viewer: Viewer, id: number): Promise<queries.Attachment> {
  const a = Number.isInteger(id) ? await queries.findAttachment(db, id) : null;
  if (!a) throw notFound();
  const n = await queries.findById(db, a.nominationId);
  if (!n || !(await canView(db, viewer, n))) throw notFound();
  return a;
}

// ---------------------------------------------------------------- gallery (N6)

export type GalleryPage = { entries: EntryView[]; total: number; page: number; pageCount: number; pageSize: number };

export async function listPublished(
  db: Db,
  editionId: number,
  options: { q?: string; departmentId?: number | null; page?: number; pageSize?: number; seed?: number } = {},
): Promise<GalleryPage> {
  const pageSize = options.pageSize ?? 12;
  const q = foldForSearch((options.q ?? '').trim()).slice(0, 100);
  const filter = { editionId, q, departmentId: options.departmentId ?? null };
  // Unfiltered, the list is the same for everyone until an entry changes: read from memory.
  const ids =
    q || filter.departmentId
      ? await queries.publishedIds(db, filter)
      : await cachedRead(db, `nominations.published:${editionId}`, ['nominations', 'editions'], () => queries.publishedIds(db, filter));
  const ordered = options.seed === undefined ? ids : seededOrder(ids, options.seed);
  const pageCount = Math.max(1, Math.ceil(ordered.length / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  const slice = ordered.slice((page - 1) * pageSize, page * pageSize);
  // The cards come from memory (src/read-cache.ts): a change through this instance drops them. On
  // PostgreSQL several instances serve (SPEC §6, scale-out), so whether each shown entry is still
  // published, and in which version, is read now: one withdrawn elsewhere leaves at once, one changed is
  // read again. On SQLite one process serves; a command line's change shows within MAX_AGE_MS.
  const [cards, states] = await Promise.all([publishedCards(db, editionId), db.dialect.isPostgres ? queries.statesOf(db, slice) : null]);
  const isCurrent = (id: number) => {
    const card = cards.get(id)?.nomination;
    if (card === undefined) return false;
    if (!states) return true;
    const state = states.get(id);
    return state !== undefined && card.version === state.version && card.updatedAt.getTime() === state.updatedAt.getTime();
  };
  const shown = states ? slice.filter((id) => states.get(id)?.status === 'published' && states.get(id)?.editionId === editionId) : slice;
  // An id without a current card (a search reads its ids from the database) is read now.
  const stale = shown.filter((id) => !isCurrent(id));
  const reread = stale.length ? new Map((await toViews(db, await queries.listByIds(db, stale))).map((v) => [v.nomination.id, v])) : null;
  const entries = shown
    .map((id) => reread?.get(id) ?? cards.get(id))
    .filter((v): v is EntryView => v !== undefined && v.nomination.status === 'published' && v.nomination.editionId === editionId);
  return { entries, total: ordered.length, page, pageCount, pageSize };
}

/**
 * Every published entry of an edition as the gallery shows it, by id. The same for every reader (who
 * may see a submitter's name is the entry's own setting), so it is read from memory like the list of
 * ids: two statements fewer per gallery page (issue 20). A change to an entry, its named colleagues,
 * attachments, departments or the submitter's name through this instance drops it; see listPublished
 * for changes made elsewhere.
 */
function publishedCards(db: Queryable, editionId: number): Promise<Map<number, EntryView>> {
  return cachedRead(db, `nominations.cards:${editionId}`, ['nominations', 'nominees', 'attachments', 'users', 'departments', 'editions'], async () => {
    const views = await toViews(db, await queries.listPublishedOf(db, editionId));
    return new Map(views.map((v) => [v.nomination.id, v]));
  });
}

// ---------------------------------------------------------------- the form (N1, N2)

export async function formContext(db: Queryable, now: Date) {
  const current = await editions.current(db, now);
  if (!current) return null;
  const [departments, criteria] = await Promise.all([editions.departments(db, current.edition.id), editions.criteria(db, current.edition.id)]);
  return { ...current, departments, criteria };
}

/** Up to this many colleagues the form offers a list to choose from; above it, name and e-mail are typed (with search). */
export const COLLEAGUE_LIST_MAX = 500;

/** Colleagues for the form's list, or null when the organisation is too large for a list. */
export async function listColleagues(db: Queryable, exceptUserId: number) {
  const list = await queries.listColleagues(db, exceptUserId, COLLEAGUE_LIST_MAX + 1);
  return list.length > COLLEAGUE_LIST_MAX ? null : list;
}

/** Colleagues whose name or e-mail contains the text (the form's search, for large organisations). */
export async function searchColleagues(db: Queryable, exceptUserId: number, text: string) {
  const q = foldForSearch(text.slice(0, 200).trim()).slice(0, 100);
  if (q.length < 2) return [];
  return queries.searchColleagues(db, exceptUserId, q, 10);
}

export async function ownNomination(db: Queryable, viewer: Viewer, id: number): Promise<EntryView> {
  const n = Number.isInteger(id) ? await queries.findById(db, id) : null;
  if (!n) throw notFound();
  if (n.submitterId !== viewer.user.id) throw forbidden();
  return (await toViews(db, [n]))[0];
}

export type SaveRequest = {
  viewer: Viewer;
  nominationId: number | null;
  formKey: string | null;
  version: number | null;
  action: 'draft' | 'submit';
  input: NominationInput;
  uploads: Upload[];
};

export type SaveResult = {
  id: number;
  status: queries.Status;
  duplicate: boolean;
  submitted: boolean;
  /** A submit that was not complete: the draft WAS saved (with its files); what is missing, by field. */
  incomplete?: FieldErrors;
};

function fileError(e: files.FileRefused): FieldErrors {
  return { attachments: { key: `nominations.file.${e.problem}`, params: { name: e.fileName, mb: files.MAX_FILE_BYTES / 1024 / 1024, max: files.MAX_FILES } } };
}

export async function save(deps: Deps, req: SaveRequest, now: Date): Promise<SaveResult> {
  const { db } = deps;
  const user = req.viewer.user;
  const existing = req.nominationId !== null ? await ownNomination(db, req.viewer, req.nominationId) : null;
  const editionId = existing?.nomination.editionId ?? (await editions.current(db, now))?.edition.id;
  if (!editionId) throw notFound();
  const edition = await editions.findById(db, editionId);
  const phase = editions.phaseAt(edition!, now);
  if (existing) {
    if (!EDITABLE.includes(existing.nomination.status)) throw conflict('nominations.error.notEditable');
    if (existing.nomination.status === 'draft' ? !phase.nominationOpen : phase.judgingStarted) throw new AppError(409, 'nominations.closed.text', undefined, 'nominations.closed.title');
  } else if (!phase.nominationOpen) {
    throw new AppError(409, 'nominations.closed.text', undefined, 'nominations.closed.title');
  }

  // A second copy of the same form (double click, back and resend): nothing new is created.
  if (!existing && req.formKey) {
    const dup = await queries.findByFormKey(db, user.id, req.formKey);
    if (dup) return { id: dup.id, status: dup.status, duplicate: true, submitted: dup.status !== 'draft' };
  }
  if (existing && req.version !== null && req.version !== existing.nomination.version) {
    return { id: existing.nomination.id, status: existing.nomination.status, duplicate: true, submitted: existing.nomination.status !== 'draft' };
  }

  const input = req.input;
  const hard = hardErrors(input, user.email);
  const kept = (existing?.attachments ?? []).filter((a) => !input.removeAttachmentIds.includes(a.id));
  if (kept.length + req.uploads.length > files.MAX_FILES) {
    hard.attachments = { key: 'nominations.file.tooMany', params: { max: files.MAX_FILES } };
  }
  if (Object.keys(hard).length) throw new ValidationError(hard);

  const departments = await editions.departments(db, editionId);
  if (input.departmentId && !departments.some((d) => d.id === input.departmentId)) input.departmentId = null;

  // Colleagues chosen from the list are looked up; typed ones are linked to a user with that e-mail.
  const colleagues: Array<{ userId: number | null; name: string; email: string }> = [];
  for (const [i, c] of input.colleagues.entries()) {
    const found = c.userId ? await queries.findUser(db, { id: c.userId }) : await queries.findUser(db, { email: c.email });
    if (c.userId && !found) throw new ValidationError({ [`c${i}_user`]: { key: 'nominations.error.colleagueUnknown' } });
    if (found && found.id === user.id) throw new ValidationError({ [`c${i}_${c.userId ? 'user' : 'email'}`]: { key: 'nominations.error.colleagueIsYou' } });
    if (!found && !c.name) throw new ValidationError({ [`c${i}_name`]: { key: 'nominations.error.colleagueName' } });
    const person = found ? { userId: found.id, name: found.name, email: found.email.toLowerCase() } : { userId: null, name: c.name, email: c.email };
    if (!mayBeNamed(person.email, Boolean(found), deps.allowedEmailDomains ?? [])) {
      const domains = (deps.allowedEmailDomains ?? []).map((d) => `@${d}`).join(', ');
      throw new ValidationError({ [`c${i}_${c.userId ? 'user' : 'email'}`]: { key: domains ? 'nominations.error.colleagueDomain' : 'nominations.error.colleagueNotInDirectory', params: { domains } } });
    }
    if (colleagues.some((x) => x.email === person.email)) throw new ValidationError({ [`c${i}_${c.userId ? 'user' : 'email'}`]: { key: 'nominations.error.colleagueTwice' } });
    colleagues.push(person);
  }

  // Files are checked and re-encoded before anything is written: a refused file stores nothing.
  const processed: files.Processed[] = [];
  const budget = new files.DecodeBudget(files.MAX_DECODED_PER_REQUEST);
  for (const u of req.uploads) {
    try {
      if (u.size > files.MAX_FILE_BYTES) throw new files.FileRefused('tooLarge', files.safeFileName(u.originalName));
      processed.push(await files.processUpload(u.originalName, await u.read(), budget));
    } catch (e) {
      if (e instanceof files.FileRefused) throw new ValidationError(fileError(e));
      throw e;
    }
  }

  // The quota counts what is stored: what stays of this entry's files, the user's other entries and the new files.
  if (processed.length > 0) {
    const removedBytes = (existing?.attachments ?? []).filter((a) => input.removeAttachmentIds.includes(a.id)).reduce((sum, a) => sum + a.sizeBytes, 0);
    const after = (await queries.storedBytesOf(db, user.id)) - removedBytes + processed.reduce((sum, p) => sum + p.data.length + (p.thumbnail?.length ?? 0), 0);
    if (after > UPLOAD_QUOTA_BYTES) throw new ValidationError({ attachments: { key: 'nominations.file.quota', params: { mb: UPLOAD_QUOTA_BYTES / 1024 / 1024 } } });
  }

  const incomplete = req.action === 'submit' ? submitErrors(input, departments.map((d) => d.id)) : {};
  // A first submit with nothing in it (no text, no colleague, no file) keeps nothing: no empty draft
  // appears under My nominations. Anything typed is kept as a draft instead, so nothing is lost (N2).
  if (!existing && Object.keys(incomplete).length && req.uploads.length === 0 && isBlank(input)) throw new ValidationError(incomplete);
  const submitting = req.action === 'submit' && Object.keys(incomplete).length === 0;
  // An entry already sent (waiting for consent or in moderation) is never saved incomplete.
  const alreadySent = existing !== null && existing.nomination.status !== 'draft' && existing.nomination.status !== 'changes_requested';
  if (alreadySent && !submitting) throw new ValidationError(req.action === 'submit' ? incomplete : { title: { key: 'nominations.error.notEditable' } });

  const fields: queries.NominationFields = {
    title: input.title,
    whatHappened: input.whatHappened,
    lesson: input.lesson,
    changes: input.changes,
    departmentId: input.departmentId,
    teamName: input.teamName || null,
    includesSelf: input.includesSelf,
    showSubmitter: input.showSubmitter,
    declinePolicy: input.declinePolicy,
    eligibilityConfirmed: input.eligibilityConfirmed,
    searchText: buildSearchText({ ...input, teamName: input.teamName }),
  };

  let removedFiles: string[] = [];
  let result: SaveResult;
  // Files written by this save are removed again if anything below fails; should the process die
  // before that, the housekeeping deletes them later (src/attachments/orphans.ts).
  const stored: string[] = [];
  try {
    for (const p of processed) stored.push(await files.store(deps.dataDir, p));
    result = await deps.events.transaction(db, async (trx, emit) => {
      let id: number;
      let status: queries.Status;
      if (existing) {
        id = existing.nomination.id;
        status = existing.nomination.status;
        const changed = await queries.updateFields(trx, id, existing.nomination.version, fields, now);
        if (!changed) return { id, status, duplicate: true, submitted: status !== 'draft' };
      } else {
        id = await queries.insertNomination(trx, { editionId, submitterId: user.id, formKey: req.formKey, fields }, now);
        status = 'draft';
      }

      // Named colleagues: keep those still named (with their answer), add new ones, drop the rest.
      const before = await queries.nomineesOf(trx, [id]);
      const stay = new Set<number>();
      for (const c of colleagues) {
        const match = before.find((b) => b.email.toLowerCase() === c.email || (c.userId !== null && b.userId === c.userId));
        if (match) {
          stay.add(match.id);
          if (match.userId !== c.userId || match.name !== c.name) await queries.updateNomineeIdentity(trx, match.id, { userId: c.userId ?? match.userId, name: c.name });
        } else {
          await queries.insertNominee(trx, { nominationId: id, userId: c.userId, name: c.name, email: c.email, token: crypto.randomBytes(24).toString('base64url') }, now);
        }
      }
      await queries.deleteNominees(trx, before.filter((b) => !stay.has(b.id)).map((b) => b.id));

      const removed = (existing?.attachments ?? []).filter((a) => input.removeAttachmentIds.includes(a.id));
      await queries.deleteAttachments(trx, id, removed.map((a) => a.id));
      removedFiles = removed.map((a) => a.storageName);
      for (const [i, p] of processed.entries()) {
        await queries.insertAttachment(trx, { nominationId: id, storageName: stored[i], originalName: p.originalName, mime: p.mime, sizeBytes: p.data.length, width: p.width, height: p.height, hasThumbnail: Boolean(p.thumbnail) }, now);
      }

      // A colleague said yes to the text they read: when the text changes after that, they are asked
      // again before anything can be published (N3, principle 2).
      if (existing && textChanged(existing.nomination, input)) {
        const after = await queries.nomineesOf(trx, [id]);
        await queries.resetConsent(trx, after.filter((x) => x.consent === 'given').map((x) => x.id));
      }

      const nominees = await queries.nomineesOf(trx, [id]);
      const wasSubmitted = status !== 'draft' && status !== 'changes_requested';
      if (submitting || (wasSubmitted && req.action === 'submit')) {
        const next: queries.Status = consentBlocks(nominees, input.declinePolicy) ? 'awaiting_consent' : 'in_moderation';
        await queries.updateStatus(trx, id, { status: next, submittedAt: now }, now);
        const toRequest = nominees.filter((x) => x.consent === 'pending' && !x.requestedAt);
        await queries.markRequested(trx, toRequest.map((x) => x.id), now);
        await audit.record(trx, { actorId: user.id, action: wasSubmitted ? 'nomination.updated' : 'nomination.submitted', subjectType: 'nomination', subjectId: id, details: { status: next } }, now);
        emit('nomination.submitted', { nominationId: id, editionId, submitterId: user.id, title: input.title, status: next as 'awaiting_consent' | 'in_moderation', resubmitted: wasSubmitted });
        const submitter = input.showSubmitter ? user.name : '';
        for (const x of toRequest) {
          emit('consent.requested', { nominationId: id, title: input.title, submitter, submitterId: user.id, nominee: { id: x.id, userId: x.userId, email: x.email, name: x.name, consentToken: x.consentToken } });
        }
        return { id, status: next, duplicate: false, submitted: true };
      }
      return { id, status, duplicate: false, submitted: false };
    });
  } catch (err) {
    await Promise.all(stored.map((s) => files.remove(deps.dataDir, s)));
    if (!existing && req.formKey && isUniqueViolation(err)) {
      const dup = await queries.findByFormKey(db, user.id, req.formKey);
      if (dup) return { id: dup.id, status: dup.status, duplicate: true, submitted: dup.status !== 'draft' };
    }
    throw err;
  }
  if (result.duplicate) await Promise.all(stored.map((s) => files.remove(deps.dataDir, s)));
  await Promise.all(removedFiles.map((s) => files.remove(deps.dataDir, s)));

  if (req.action === 'submit' && !result.submitted && !result.duplicate) return { ...result, incomplete };
  return result;
}

function isBlank(input: NominationInput): boolean {
  return !input.title && !input.whatHappened && !input.lesson && !input.changes && !input.teamName && input.colleagues.length === 0;
}

function textChanged(
  before: Pick<queries.Nomination, 'title' | 'whatHappened' | 'lesson' | 'changes' | 'teamName'>,
  after: { title: string; whatHappened: string; lesson: string; changes: string; teamName: string | null },
): boolean {
  return (
    before.title !== after.title ||
    before.whatHappened !== after.whatHappened ||
    before.lesson !== after.lesson ||
    before.changes !== after.changes ||
    (before.teamName ?? '') !== (after.teamName ?? '')
  );
}

export async function withdraw(deps: Deps, viewer: Viewer, id: number, now: Date): Promise<void> {
  const { nomination: n } = await ownNomination(deps.db, viewer, id);
  const edition = await editions.findById(deps.db, n.editionId);
  const phase = editions.phaseAt(edition!, now);
  if (!nextSteps(n.status, phase.judgingStarted).withdraw) throw conflict('nominations.error.cannotWithdraw');
  await deps.db.transaction(async (trx) => {
    await queries.updateStatus(trx, n.id, { status: 'withdrawn', withdrawnAt: now }, now);
    await audit.record(trx, { actorId: viewer.user.id, action: 'nomination.withdrawn', subjectType: 'nomination', subjectId: n.id, details: { from: n.status } }, now);
  });
}

// ---------------------------------------------------------------- My nominations (N5)

export async function mine(db: Queryable, viewer: Viewer, now: Date) {
  const own = await toViews(db, await queries.listBySubmitter(db, viewer.user.id));
  const phases = new Map<number, editions.PhaseState>();
  for (const v of own) {
    if (!phases.has(v.nomination.editionId)) {
      const e = await editions.findById(db, v.nomination.editionId);
      if (e) phases.set(e.id, editions.phaseAt(e, now));
    }
  }
  const requests = await queries.nomineesForPerson(db, viewer.user.id, viewer.user.email);
  const about = await queries.listByIds(db, [...new Set(requests.map((r) => r.nominationId))]);
  return {
    own: own.map((v) => ({ ...v, next: nextSteps(v.nomination.status, phases.get(v.nomination.editionId)?.judgingStarted ?? true) })),
    requests: requests
      .map((r) => ({ nominee: r, nomination: about.find((n) => n.id === r.nominationId)! }))
      .filter((r) => r.nomination && r.nomination.status !== 'draft' && r.nomination.status !== 'withdrawn' && r.nomination.submitterId !== viewer.user.id),
  };
}

// ---------------------------------------------------------------- consent (N3)

export type OpenConsentQuestion = { token: string; title: string; nominationId: number; requestedAt: Date | null };

/**
 * The consent questions this person has not answered and still can (R10): the home page lists them as
 * tasks and the notifications page shows them until they are answered, whether or not a stored
 * notification exists (a colleague named by e-mail before their first sign-in has none).
 */
export async function openConsentQuestions(db: Queryable, viewer: Viewer, now: Date): Promise<OpenConsentQuestion[]> {
  const pending = (await queries.nomineesForPerson(db, viewer.user.id, viewer.user.email)).filter(
    (r) => r.consent === 'pending' && (r.userId === null || r.userId === viewer.user.id),
  );
  if (!pending.length) return [];
  const about = await queries.listByIds(db, [...new Set(pending.map((r) => r.nominationId))]);
  const phases = new Map<number, editions.PhaseState | null>();
  const out: OpenConsentQuestion[] = [];
  for (const r of pending) {
    const n = about.find((x) => x.id === r.nominationId);
    if (!n || n.submitterId === viewer.user.id || ['draft', 'withdrawn', 'rejected'].includes(n.status)) continue;
    if (!phases.has(n.editionId)) {
      const e = await editions.findById(db, n.editionId);
      phases.set(n.editionId, e ? editions.phaseAt(e, now) : null);
    }
    const phase = phases.get(n.editionId);
    if (!phase || phase.judgingStarted) continue;
    out.push({ token: r.consentToken, title: n.title, nominationId: n.id, requestedAt: r.requestedAt });
  }
  return out;
}

/** The submitter's own unfinished nominations in an edition: drafts and those sent back for changes. */
export async function unfinishedOf(db: Queryable, viewer: Viewer, editionId: number): Promise<Array<{ id: number; title: string; status: queries.Status }>> {
  return (await queries.listBySubmitter(db, viewer.user.id))
    .filter((n) => n.editionId === editionId && (n.status === 'draft' || n.status === 'changes_requested'))
    .map((n) => ({ id: n.id, title: n.title, status: n.status }));
}

export type ConsentAnswer = 'give' | 'decline' | 'withdraw';

/** The consent request behind a link, for the named person only (403 for anyone else). */
export async function consentRequest(db: Queryable, viewer: Viewer, token: string, now: Date) {
  const nominee = /^[\w-]{16,64}$/.test(token) ? await queries.findNomineeByToken(db, token) : null;
  if (!nominee) throw notFound();
  const isPerson = nominee.userId === viewer.user.id || (nominee.userId === null && nominee.email.toLowerCase() === viewer.user.email.toLowerCase());
  if (!isPerson) throw forbidden();
  const n = await queries.findById(db, nominee.nominationId);
  if (!n || n.status === 'draft') throw notFound();
  const edition = await editions.findById(db, n.editionId);
  const phase = editions.phaseAt(edition!, now);
  const view = (await toViews(db, [n]))[0];
  const open = !phase.judgingStarted && n.status !== 'withdrawn' && n.status !== 'rejected';
  return { nominee, entry: view, canAnswer: open, phase };
}

export async function answerConsent(deps: Deps, viewer: Viewer, token: string, answer: ConsentAnswer, message: string, now: Date): Promise<queries.Consent> {
  const { nominee, entry, canAnswer } = await consentRequest(deps.db, viewer, token, now);
  if (!canAnswer) throw conflict('consent.error.closed');
  const target: queries.Consent = answer === 'give' ? 'given' : answer === 'decline' ? 'declined' : 'withdrawn';
  if (answer === 'withdraw' && nominee.consent !== 'given') throw conflict('consent.error.notGiven');
  if (answer === 'decline' && nominee.consent === 'given') throw conflict('consent.error.useWithdraw');
  if (nominee.consent === target) return target;
  const n = entry.nomination;
  await deps.events.transaction(deps.db, async (trx, emit) => {
    await queries.setConsent(trx, nominee.id, { consent: target, message: message || null, userId: viewer.user.id }, now);
    const nominees = await queries.nomineesOf(trx, [n.id]);
    const next = statusAfterConsent(n.status, consentBlocks(nominees, n.declinePolicy));
    if (next !== n.status) await queries.updateStatus(trx, n.id, { status: next, ...(n.status === 'published' ? { publishedAt: null } : {}) }, now);
    await audit.record(trx, { actorId: viewer.user.id, action: `consent.${target}`, subjectType: 'nomination', subjectId: n.id, details: { nomineeId: nominee.id, status: next } }, now);
    // The question is answered: its notification is no longer something waiting for this person (R10).
    await notifications.markReadByLink(trx, viewer.user.id, `/consent/${token}`, now);
    emit('consent.answered', { nominationId: n.id, submitterId: n.submitterId, title: n.title, nomineeName: nominee.name, answer: target as ConsentAnswered, message, declinePolicy: n.declinePolicy });
  });
  return target;
}

// ---------------------------------------------------------------- moderation (N4)

export const MODERATION_STATUSES: queries.Status[] = ['in_moderation', 'awaiting_consent', 'changes_requested'];

/** How many entries wait for a moderator and since when (the admins' daily digest). */
export const moderationBacklog = queries.waitingForModeration;

export async function moderationQueue(db: Queryable, editionId: number): Promise<EntryView[]> {
  return toViews(db, await queries.listByStatus(db, editionId, MODERATION_STATUSES));
}

/** How many entries wait for an administrator's decision (the home page's task for admins). */
export async function waitingForModeration(db: Queryable, editionId: number): Promise<number> {
  return (await queries.listByStatus(db, editionId, ['in_moderation'])).length;
}

export async function moderationItem(db: Queryable, id: number): Promise<EntryView> {
  const n = Number.isInteger(id) ? await queries.findById(db, id) : null;
  if (!n || n.status === 'draft') throw notFound();
  return (await toViews(db, [n]))[0];
}

export type ModerationAction = { kind: 'publish' } | { kind: 'request_changes'; message: string } | { kind: 'reject'; reason: string };

export async function moderate(deps: Deps, adminId: number, id: number, action: ModerationAction, now: Date): Promise<queries.Status> {
  const { nomination: n } = await moderationItem(deps.db, id);
  let next: queries.Status;
  return deps.events.transaction(deps.db, async (trx, emit) => {
    const fresh = (await queries.findById(trx, n.id))!;
    const nominees = await queries.nomineesOf(trx, [n.id]);
    if (action.kind === 'publish') {
      // N3: never published while a named colleague has not agreed, whatever the moderator clicks.
      if (consentBlocks(nominees, fresh.declinePolicy)) throw conflict('moderation.error.consentMissing');
      if (fresh.status !== 'in_moderation') throw conflict('moderation.error.notReady');
      next = 'published';
      await queries.updateStatus(trx, n.id, { status: next, publishedAt: now, moderatorMessage: null }, now);
    } else if (action.kind === 'request_changes') {
      if (!['in_moderation', 'awaiting_consent'].includes(fresh.status)) throw conflict('moderation.error.notReady');
      next = 'changes_requested';
      await queries.updateStatus(trx, n.id, { status: next, moderatorMessage: action.message }, now);
    } else {
      if (!MODERATION_STATUSES.includes(fresh.status)) throw conflict('moderation.error.notReady');
      next = 'rejected';
      await queries.updateStatus(trx, n.id, { status: next, rejectionReason: action.reason }, now);
    }
    await audit.record(trx, { actorId: adminId, action: `moderation.${action.kind}`, subjectType: 'nomination', subjectId: n.id, details: { from: fresh.status, to: next, ...(action.kind === 'publish' ? {} : { text: action.kind === 'reject' ? action.reason : action.message }) } }, now);
    const text = action.kind === 'publish' ? '' : action.kind === 'reject' ? action.reason : action.message;
    emit('moderation.decided', { nominationId: n.id, submitterId: n.submitterId, title: fresh.title, decision: action.kind, text });
    if (next === 'published') emit('entry.published', { nominationId: n.id, editionId: fresh.editionId, title: fresh.title });
    return next;
  });
}

export async function fixTypos(deps: Deps, adminId: number, id: number, texts: { title: string; whatHappened: string; lesson: string; changes: string; teamName: string }, now: Date): Promise<void> {
  const { nomination: n } = await moderationItem(deps.db, id);
  const errors: FieldErrors = {};
  if (!texts.title) errors.title = { key: 'nominations.error.titleRequired' };
  if (!texts.lesson) errors.lesson = { key: 'nominations.error.lessonRequired' };
  const more = hardErrors({ ...texts, colleagues: [], departmentId: null, includesSelf: false, showSubmitter: true, declinePolicy: 'remove', eligibilityConfirmed: true, removeAttachmentIds: [] }, '');
  Object.assign(errors, more);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const changed = (['title', 'whatHappened', 'lesson', 'changes'] as const).filter((k) => n[k] !== texts[k]);
  if ((n.teamName ?? '') !== texts.teamName) changed.push('teamName' as never);
  if (!changed.length) return;
  await deps.db.transaction(async (trx) => {
    await queries.updateTexts(trx, n.id, { ...texts, teamName: texts.teamName || null, searchText: buildSearchText(texts) }, now);
    await audit.record(trx, { actorId: adminId, action: 'moderation.edit', subjectType: 'nomination', subjectId: n.id, details: { fields: changed } }, now);
  });
}
