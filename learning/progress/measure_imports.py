"""Importing service measures: preview, write, log and undo.

An import replaces only the cells it holds, one (person, month, measure) each;
every other value stays. It goes in two steps: `stage` checks an upload and says
how many values would be new, changed or unchanged, keeping the file on the
server under a random token; `confirm` writes exactly that file, and only if the
stored values are still those the preview compared it with. Each confirmed
import is logged (who, when, file, counts) with the previous value of every cell
it created or changed, so `undo` can put them back, as long as no later import
changed the same cells.
"""
import hashlib
import json
from dataclasses import dataclass, field

import peewee as pw

from learning import staged_uploads
from learning.accounts.models import User
from learning.db import db, for_update, utcnow
from learning.progress.measures import MAX_IMPORT_BYTES, ImportResult, check_import, decode_upload
from learning.progress.models import MeasureImport, MeasureImportChange, PendingMeasureImport, ServiceMeasure
from learning.progress.rebuild import refresh_measures
from learning.refusals import Refused

BATCH = 500


@dataclass
class Cell:
    """One cell of an import: `old` is the stored value (None: no value yet), `stored_id` its row."""
    value: object           # measures.Value
    old: float = None
    stored_id: int = None

    @property
    def key(self):
        return self.value.user.id, self.value.month, self.value.measure.id


@dataclass
class ImportPlan:
    result: ImportResult
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self):
        return self.result.ok

    @property
    def months(self):
        return months_label(self.result.months)

    @property
    def digest(self):
        """A fingerprint of the changes: equal plans write the same values over the same ones."""
        changes = sorted((*map(str, cell.key), repr(cell.old), repr(cell.value.value))
                         for cell in self.new + self.changed)
        return hashlib.sha256(json.dumps(changes).encode()).hexdigest()


def plan_import(text, lock=False):
    """Check `text` and compare each of its cells with the stored value (locked when `lock`)."""
    result, values = check_import(text)
    return plan_values(result, values, lock)


def plan_values(result, values, lock=False):
    """Compare checked Values with the stored cells (locked when `lock`): the file's or the API's."""
    plan = ImportPlan(result)
    if not result.ok:
        return plan
    stored = _stored_values(values, lock)
    for value in values:
        cell = Cell(value)
        cell.stored_id, cell.old = stored.get(cell.key, (None, None))
        if cell.stored_id is None:
            plan.new.append(cell)
        elif cell.old != value.value:
            plan.changed.append(cell)
        else:
            plan.unchanged += 1
    return plan


def _stored_values(values, lock):
    """{(user id, month, measure id): (row id, value)} of the stored cells among `values`."""
    if not values:
        return {}
    query = (ServiceMeasure
             .select(ServiceMeasure.id, ServiceMeasure.user, ServiceMeasure.month, ServiceMeasure.measure,
                     ServiceMeasure.value)
             .where(ServiceMeasure.user.in_(list({v.user.id for v in values})),
                    ServiceMeasure.month.in_(list({v.month for v in values})),
                    ServiceMeasure.measure.in_(list({v.measure.id for v in values})))
             .order_by(ServiceMeasure.id))
    # Locked in id order: concurrent imports of overlapping cells then queue instead of
    # deadlocking (a seq scan's order changes as updates move rows on PostgreSQL).
    query = for_update(query) if lock else query
    return {(user, month, measure): (row_id, value) for row_id, user, month, measure, value in query.tuples()}


def stage_upload(upload, user):
    """stage() an uploaded file (a werkzeug FileStorage)."""
    result = ImportResult()
    text = decode_upload(upload.read(MAX_IMPORT_BYTES + 1), result)
    if text is None:
        return ImportPlan(result), None
    return stage(text, upload.filename or "", user)


def stage(text, file_name, user):
    """Plan an upload; when it is valid, keep it for `user` to confirm. Returns (plan, token or None)."""
    plan = plan_import(text)
    if not plan.ok:
        return plan, None
    token = staged_uploads.keep(PendingMeasureImport, user, file_name=file_name[:200], content=text,
                                digest=plan.digest)
    return plan, token


def pending_for(token, user):
    """The upload `user` previewed under `token`, or None."""
    return staged_uploads.pending_for(PendingMeasureImport, token, user)


@db.atomic()
def confirm(pending, user):
    """Write the upload `pending` as its preview showed it; refused when the stored values
    changed since (another import or an undo came first)."""
    locked = staged_uploads.claim(pending)
    plan = plan_import(locked.content, lock=True)
    if not plan.ok or plan.digest != locked.digest:
        raise Refused("The stored values changed since this preview (another import or an undo came "
                                   "first). Nothing was imported; upload the file again to see what it changes now.")
    record = write(plan, locked.file_name, user)
    locked.delete_instance()
    return record


@db.atomic()
def write(plan, file_name, user):
    """Write a valid plan's new and changed cells and log them. Returns the MeasureImport."""
    now = utcnow()
    months = plan.result.months
    record = MeasureImport.create(
        file_name=file_name[:200], imported_by=user, imported_at=now, months=months_label(months),
        lines=plan.result.rows, new_values=len(plan.new), changed_values=len(plan.changed),
        unchanged_values=plan.unchanged)
    try:
        with db.atomic():
            _insert_values([dict(_cell_row(c.key), value=c.value.value, imported_at=now) for c in plan.new])
    except pw.IntegrityError:
        raise Refused("Another import wrote some of these values at the same moment. "
                      "Nothing was imported; upload the file again.") from None
    _set_values({cell.stored_id: cell.value.value for cell in plan.changed}, now)
    changes = [dict(_cell_row(c.key), measure_import=record.id, old_value=c.old, new_value=c.value.value)
               for c in plan.new + plan.changed]
    for start in range(0, len(changes), BATCH):
        MeasureImportChange.insert_many(changes[start:start + BATCH]).execute()
    refresh_measures()
    return record


def _cell_row(key):
    user, month, measure = key
    return {"user": user, "month": month, "measure": measure}


def _insert_values(rows):
    for start in range(0, len(rows), BATCH):
        ServiceMeasure.insert_many(rows[start:start + BATCH]).execute()


def _set_values(values, now):
    """Set stored rows {row id: value}, a batch per statement."""
    ids = list(values)
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        (ServiceMeasure
         .update(value=pw.Case(ServiceMeasure.id, [(i, values[i]) for i in batch]), imported_at=now)
         .where(ServiceMeasure.id.in_(batch))
         .execute())


@db.atomic()
def upsert_values(values, source, user):
    """Write checked Values at once (the API's batch), compared under lock and logged like a
    confirmed import under the name `source`, so the import log shows it and undo puts it back."""
    result = ImportResult(rows=len(values), months=sorted({value.month for value in values}))
    plan = plan_values(result, values, lock=True)
    return plan, write(plan, source, user)


def import_file(text, file_name="", user=None):
    """Check and write a file in one step (the command line and tests): the plan, and
    the logged MeasureImport when it was valid."""
    with db.atomic():
        plan = plan_import(text, lock=True)
        return plan, write(plan, file_name, user) if plan.ok else None


def months_label(months):
    labels = [f"{m:%Y-%m}" for m in months]
    return ", ".join(labels) if len(labels) <= 12 else f"{labels[0]} to {labels[-1]} ({len(labels)} months)"


# --- the log and undo -----------------------------------------------------------------

def import_log():
    """Confirmed imports, newest first, with who imported and who undid them."""
    importer, undoer = User.alias(), User.alias()
    return (MeasureImport.select(MeasureImport, importer, undoer)
            .join_from(MeasureImport, importer, pw.JOIN.LEFT_OUTER, on=(MeasureImport.imported_by == importer.id),
                       attr="imported_by")
            .join_from(MeasureImport, undoer, pw.JOIN.LEFT_OUTER, on=(MeasureImport.undone_by == undoer.id),
                       attr="undone_by")
            .order_by(MeasureImport.id.desc()))


@db.atomic()
def undo(record, user):
    """Put back the previous value of every cell `record` created or changed (deleting the
    cells it created), in one transaction; refused when a later import changed any of them."""
    record = for_update(MeasureImport.select().where(MeasureImport.id == record.id)).get()
    if record.undone_at is not None:
        raise Refused("This import was undone already.")
    later = _later_import_of_same_cells(record)
    if later is not None:
        raise Refused(
            f"Not undone: the later import of {later.file_name or 'a file'} (#{later.id}) changed some of the same "
            f"values. Undo that one first.")
    changes = list(MeasureImportChange.select().where(MeasureImportChange.measure_import == record.id))
    stored = _stored_values_of(record)
    if any(stored.get(_key(c), (None, None))[1] != c.new_value for c in changes):
        raise Refused("Not undone: some of these values changed since this import, "
                      "not by an import in the log.")
    created = [stored[_key(c)][0] for c in changes if c.old_value is None]
    for start in range(0, len(created), BATCH):
        ServiceMeasure.delete().where(ServiceMeasure.id.in_(created[start:start + BATCH])).execute()
    _set_values({stored[_key(c)][0]: c.old_value for c in changes if c.old_value is not None}, utcnow())
    record.undone_at, record.undone_by = utcnow(), user
    record.save()
    refresh_measures()
    return record


def _key(change):
    return change.user_id, change.month, change.measure_id


def _matching(change, other):
    return ((other.user == change.user) & (other.month == change.month) & (other.measure == change.measure))


def _later_import_of_same_cells(record):
    """The first import after `record`, not undone, that changed a cell `record` changed."""
    mine, theirs = MeasureImportChange.alias(), MeasureImportChange.alias()
    return (MeasureImport.select()
            .join(theirs, on=(theirs.measure_import == MeasureImport.id))
            .join(mine, on=_matching(theirs, mine))
            .where(mine.measure_import == record.id, MeasureImport.id > record.id,
                   MeasureImport.undone_at.is_null())
            .order_by(MeasureImport.id)
            .first())


def _stored_values_of(record):
    """{(user id, month, measure id): (row id, value)} of the stored cells `record` changed, locked."""
    change = MeasureImportChange
    query = (ServiceMeasure
             .select(ServiceMeasure.id, ServiceMeasure.user, ServiceMeasure.month, ServiceMeasure.measure,
                     ServiceMeasure.value)
             .join(change, on=_matching(ServiceMeasure, change))
             .where(change.measure_import == record.id)
             .order_by(ServiceMeasure.id))  # one lock order for every writer (see _stored_values)
    return {(user, month, measure): (row_id, value) for row_id, user, month, measure, value in
            for_update(query).tuples()}
