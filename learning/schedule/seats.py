"""Places with a capacity and a first-come-first-served waitlist.

One mechanism for every kind of place: RSVPs to sessions and enrolments in
module cohorts. A place model has a foreign key to its parent (the thing with
the capacity), `user`, `status` (going / waitlisted / withdrawn),
`queue_number`, `sequence` and `updated_at`, and a unique index on
(parent, user); the parent has a `capacity` (None: no limit) within the rule
`capacity_refusal` states. Each kind of place is configured once, beside its
model's rules (`learning.schedule.service.SEATS`, `learning.curriculum.service.SEATS`).
Every function here runs in one transaction that first locks
the parent, so concurrent requests for the last seats queue up behind each
other: never more going than capacity, and no lost place.
"""
from dataclasses import dataclass

import peewee as pw

from learning.db import db, for_update, utcnow
from learning.refusals import Refused

MAX_CAPACITY = 10000


def capacity_refusal(capacity):
    """Why a parent may not have `capacity` seats (None: no limit), or None when it may."""
    if capacity is None or 1 <= capacity <= MAX_CAPACITY:
        return None
    return f"Capacity is a number of seats from 1 to {MAX_CAPACITY}, or empty for no limit."


def seat_status(capacity, going):
    """The one seat rule: going while fewer than `capacity` are going (None: no limit), else waitlisted."""
    return "going" if capacity is None or going < capacity else "waitlisted"



@dataclass
class Seats:
    """Where the places of one kind live: `model` and its parent foreign key's name."""
    model: type
    parent_field: str

    def parent_column(self):
        return getattr(self.model, self.parent_field)

    def places(self, parent):
        return self.model.select().where(self.parent_column() == parent)

    def lock_parent(self, parent):
        """Re-read the parent under a lock (PostgreSQL row lock; SQLite's IMMEDIATE transaction)."""
        parent_model = type(parent)
        return for_update(parent_model.select().where(parent_model.id == parent.id)).get()

    def going_count(self, parent):
        return self.places(parent).where(self.model.status == "going").count()

    def next_queue_number(self, parent):
        highest = self.places(parent).select(pw.fn.MAX(self.model.queue_number)).scalar()
        return (highest or 0) + 1

    def going_and_next_number(self, parent):
        """(places going, the next queue number) in one query."""
        going = pw.fn.SUM(pw.Case(None, [(self.model.status == "going", 1)], 0))
        count, highest = self.places(parent).select(going, pw.fn.MAX(self.model.queue_number)).tuples().get()
        return int(count or 0), (highest or 0) + 1

    def claim(self, parent, user, locked=False, **extra):
        """Give `user` a place: going while seats are left, otherwise waitlisted.
        `locked`: the caller re-read `parent` with lock_parent in this transaction already."""
        with db.atomic():
            parent = parent if locked else self.lock_parent(parent)
            place = self.places(parent).where(self.model.user == user).first()
            previous = place.status if place is not None else None
            if previous in ("going", "waitlisted"):
                raise Refused("You already have a place." if previous == "going"
                              else "You are already on the waitlist.")
            going, queue_number = self.going_and_next_number(parent)
            status = seat_status(parent.capacity, going)
            fields = dict(status=status, queue_number=queue_number, updated_at=utcnow(), **extra)
            if place is None:
                place = self.model.create(**{self.parent_field: parent, "user": user}, **fields)
            else:
                for name, value in fields.items():
                    setattr(place, name, value)
                place.sequence += 1
                place.save()
                # what listeners read next is at hand: no second query for either
                setattr(place, self.parent_field, parent)
                place.user = user
            place.previous_status = previous   # what listeners compare the new status with
            return place

    def lock_parents(self, parents):
        """Re-read many parents under a lock, in id order (so two bulk writers never deadlock)."""
        if not parents:
            return []
        parent_model = type(parents[0])
        return list(for_update(parent_model.select().where(parent_model.id.in_([p.id for p in parents]))
                               .order_by(parent_model.id)))

    def claim_many(self, parents, users):
        """`claim` for many people at many parents, set-based: at each parent, `users` in their order
        take the seats left (`seat_status`, as `claim`), then the waitlist. A place held already is
        kept as it is; someone who withdrew comes back on their old row, ahead of those new to it.
        Returns {parent id: [(user id, status, previous status)]} in the order the places were given."""
        with db.atomic():
            locked = self.lock_parents(parents)
            parent_ids, user_ids = [p.id for p in locked], [u.id for u in users]
            if not parent_ids or not user_ids:
                return {}
            model, column = self.model, self.parent_column()
            going = pw.fn.SUM(pw.Case(None, [(model.status == "going", 1)], 0))
            counts = {pid: (int(n or 0), top or 0) for pid, n, top in
                      model.select(column, going, pw.fn.MAX(model.queue_number))
                      .where(column.in_(parent_ids)).group_by(column).tuples()}
            held = {(pid, uid): (place_id, status) for place_id, pid, uid, status in
                    model.select(model.id, column, model.user, model.status)
                    .where(column.in_(parent_ids), model.user.in_(user_ids)).tuples()}
            now, given, seats_left, numbers = utcnow(), {}, {}, {}
            for parent in locked:
                count, number = counts.get(parent.id, (0, 0))
                given[parent.id] = [(uid, held[(parent.id, uid)][1], held[(parent.id, uid)][1]) for uid in user_ids
                                    if held.get((parent.id, uid), (None, None))[1] in ("going", "waitlisted")]
                back = [uid for uid in user_ids if held.get((parent.id, uid), (None, None))[1] == "withdrawn"]
                new = [uid for uid in user_ids if (parent.id, uid) not in held]
                for user_id in back + new:
                    status, number = seat_status(parent.capacity, count), number + 1
                    count += status == "going"
                    if user_id in back:   # their old row, a higher sequence
                        model.update(status=status, queue_number=number, updated_at=now, sequence=model.sequence + 1
                                     ).where(model.id == held[(parent.id, user_id)][0]).execute()
                    given[parent.id].append((user_id, status, held.get((parent.id, user_id), (None, None))[1]))
                numbers[parent.id] = number - len(new)
                seats_left[parent.id] = sum(1 for _, status, previous in given[parent.id][-len(new):]
                                            if status == "going") if new else 0
            self.insert_places(locked, user_ids, numbers, seats_left, now)
            return given

    def insert_places(self, parents, user_ids, numbers, seats_left, now):
        """One INSERT ... SELECT for every new place: at each parent, the people without a row there take,
        in `user_ids` order, queue numbers after `numbers[parent]`; the first `seats_left[parent]` go."""
        model, parent_model = self.model, type(parents[0])
        person_model = model.user.rel_model
        existing = model.alias()
        line = pw.fn.ROW_NUMBER().over(partition_by=[parent_model.id], order_by=[
            pw.Case(person_model.id, [(uid, position) for position, uid in enumerate(user_ids)])])
        per_parent = lambda values: pw.Case(parent_model.id, list(values.items()))  # noqa: E731
        fixed = {self.parent_field: parent_model.id, "user": person_model.id, "queue_number": per_parent(numbers) + line,
                 "status": pw.Case(None, [(line <= per_parent(seats_left), "going")], "waitlisted")}
        for field in model._meta.sorted_fields:   # every other column: its default (`now` for the times)
            if field.name not in fixed and not field.primary_key and field.default is not None:
                value = now if field.default is utcnow else (field.default() if callable(field.default) else field.default)
                fixed[field.name] = pw.Value(value, converter=field.db_value)
        query = (parent_model.select(*fixed.values())
                 .join(person_model, on=person_model.id.in_(user_ids))
                 .where(parent_model.id.in_([p.id for p in parents]),
                        ~pw.fn.EXISTS(existing.select(existing.id).where(
                            getattr(existing, self.parent_field) == parent_model.id, existing.user == person_model.id))))
        model.insert_from(query, [model._meta.fields[name] for name in fixed]).execute()

    def release_many(self, parents, user):
        """Withdraw `user`'s places at these parents in one statement; freed seats go to the first in
        line. Returns (how many places were given up, the promoted places)."""
        with db.atomic():
            locked = {p.id: p for p in self.lock_parents(parents)}
            model, column = self.model, self.parent_column()
            mine = list(model.select(model.id, column, model.status)
                        .where(column.in_(list(locked)), model.user == user.id, model.status.in_(("going", "waitlisted")))
                        .tuples())
            if not mine:
                return 0, []
            model.update(status="withdrawn", updated_at=utcnow(), sequence=model.sequence + 1).where(
                model.id.in_([place_id for place_id, _, _ in mine])).execute()
            freed = {pid for _, pid, status in mine if status == "going" and locked[pid].capacity is not None}
            waiting = set(model.select(column).where(column.in_(list(freed)), model.status == "waitlisted")
                          .distinct().tuples()) if freed else set()
            promoted = [place for (pid,) in sorted(waiting) for place in self.fill_free_seats(locked[pid])]
            return len(mine), promoted

    def release(self, place):
        """Withdraw a place; a freed seat goes to the first on the waitlist. Returns those promoted."""
        with db.atomic():
            parent = self.lock_parent(getattr(place, self.parent_field))
            fresh = self.model.get_by_id(place.id)    # as it is now that the parent is locked
            if fresh.status == "withdrawn":
                return []
            fresh.status, fresh.updated_at = "withdrawn", utcnow()
            fresh.sequence += 1
            fresh.save()
            # the caller's copy follows (listeners are sent it, with what it has loaded)
            place.status, place.updated_at, place.sequence = fresh.status, fresh.updated_at, fresh.sequence
            return self.fill_free_seats(parent)

    def fill_free_seats(self, parent):
        """Promote waitlisted places, first in line first, while seats are free. Call inside `claim`'s
        lock or after `lock_parent` (e.g. when capacity grows). Returns the promoted places."""
        capacity = parent.capacity
        waiting = (self.places(parent).where(self.model.status == "waitlisted")
                   .order_by(self.model.queue_number))
        if capacity is not None:
            free = capacity - self.going_count(parent)
            if free <= 0:
                return []
            waiting = waiting.limit(free)
        promoted = list(waiting)
        for place in promoted:
            place.status, place.updated_at = "going", utcnow()
            place.sequence += 1
            place.save()
        return promoted

    def waitlist_position(self, place):
        """1 for the first in line; None when not waitlisted."""
        if place.status != "waitlisted":
            return None
        parent_id = getattr(place, f"{self.parent_field}_id")
        ahead = self.model.select().where(
            self.parent_column() == parent_id, self.model.status == "waitlisted",
            self.model.queue_number < place.queue_number).count()
        return ahead + 1
