"""Named reads of micro-wishes: the wall, the claimable list, the figures."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)

from grid.models import PartyMember
from portal.periods import aggregate, day_bounds, in_communities, merge_groups
from portal.resident_requests import service_counts

from .models import MicroWish

S = MicroWish.Status


def wish_figures(wishes, start: datetime.date, end: datetime.date, *, group_by=None, wishers=True) -> dict:
    """Wishes submitted, published, claimed, fulfilled in [start, end], and the
    distinct residents (wishers) with a wish fulfilled in it. `wishes` is an
    already scoped queryset (a community, or all for an area admin); with
    `group_by` ("community_id"), {group: figures} (a resident helped in two
    communities counts in each, and once in the sum of both).

    Two queries, whatever the number of groups: the counts, and the wishers among the
    period's fulfilled wishes only. One query counting DISTINCT wishers over every wish
    of the scope made PostgreSQL sort them all by group: 285 ms for a city's 500,000
    wishes; the wishers alone are read from the index of fulfilled wishes (MicroWish.Meta).
    `wishers=False`: the counts only (a caller counting the wishers of other groups)."""
    low, high = day_bounds(start, end)

    def within(field):
        return Q(**{f"{field}__gte": low, f"{field}__lt": high})

    counts = aggregate(
        wishes,
        group_by,
        wishes_submitted=Count("pk", filter=within("submitted_at")),
        wishes_published=Count("pk", filter=within("published_at")),
        wishes_claimed=Count("pk", filter=within("claimed_at")),
        wishes_fulfilled=Count("pk", filter=within("fulfilled_at") & Q(status=S.FULFILLED)),
    )
    if not wishers:
        return counts
    wishers = wishers_helped(wishes, start, end, group_by=group_by)
    if group_by is None:
        return {**counts, **wishers}
    return merge_groups(counts, wishers)


WISH_COUNTS = ["wishes_submitted", "wishes_published", "wishes_claimed", "wishes_fulfilled"]  # summable


def wishers_helped(wishes, start: datetime.date, end: datetime.date, *, group_by=None) -> dict:
    """{"wishers_fulfilled": the distinct residents with a wish fulfilled in [start, end]}
    among `wishes` (or {group: that} with `group_by`). A wisher is a person, known by
    their phone's key in any community (portal.privacy.resident_key). Ungrouped, as
    COUNT(*) over SELECT DISTINCT, which PostgreSQL hashes (a COUNT(DISTINCT) sorts: 86
    against 47 ms for a city's year)."""
    helped = fulfilled_between(wishes, start, end).order_by()
    if group_by is None:
        return {"wishers_fulfilled": helped.values("wisher_key").distinct().count()}
    return aggregate(helped, group_by, wishers_fulfilled=Count("wisher_key", distinct=True))


def fulfilled_between(wishes, start: datetime.date, end: datetime.date):
    """The wishes fulfilled in [start, end] (local days): what the wishers are counted on."""
    low, high = day_bounds(start, end)
    return wishes.filter(status=S.FULFILLED, fulfilled_at__gte=low, fulfilled_at__lt=high)


def wish_service_counts(start: datetime.date, end: datetime.date, *, community_ids=None, group_by=None) -> dict:
    """The three rates' counts of the wishes submitted in [start, end]
    (portal.resident_requests.service_counts): responded = reviewed (published or turned
    down), resolved = fulfilled (confirmed by the resident)."""
    low, high = day_bounds(start, end)
    wishes = in_communities(MicroWish.objects.all(), community_ids).filter(submitted_at__gte=low, submitted_at__lt=high)
    return service_counts(wishes, resolved=Q(status__in=MicroWish.RESOLVED_STATUSES), group_by=group_by)


def wish_todos(user) -> dict:
    """What waits for the user: wishes awaiting review and overdue ones in their scope."""
    wishes = MicroWish.objects.for_user(user)
    return {"awaiting_review": wishes.filter(status=S.SUBMITTED).count(), "overdue": wishes.overdue().count()}


def wall(community_ids=None):
    """The public wall: open wishes first, then claimed/delivered, then fulfilled."""
    qs = MicroWish.objects.public().select_related("grid_cell", "community")
    if community_ids is not None:
        qs = qs.filter(community_id__in=community_ids)
    return WallWishes(qs)


class WallWishes:
    """The wall's wishes in order, as three groups each read in its own index order
    (status, published_at): open, then claimed or delivered, then fulfilled. Sorting
    every public wish by a CASE on the status used no index: 150 ms a page at county
    scale. A Paginator needs only `count()` and slices, which this gives; `filter()`
    narrows every group."""

    GROUPS = ((S.OPEN,), (S.CLAIMED, S.DELIVERED), (S.FULFILLED,))

    def __init__(self, queryset):
        self.queryset = queryset
        self._counts = None

    def filter(self, *args, **kwargs):
        return WallWishes(self.queryset.filter(*args, **kwargs))

    def counts(self) -> list[int]:
        """How many wishes each group has: one GROUP BY query."""
        if self._counts is None:
            by_status = dict(self.queryset.order_by().values_list("status").annotate(n=Count("pk")))
            self._counts = [sum(by_status.get(status, 0) for status in group) for group in self.GROUPS]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, self.count() if index.stop is None else index.stop
        wishes = []
        for group, size in zip(self.GROUPS, self.counts()):
            if start < size and stop > 0:
                part = self.queryset.filter(status__in=group).order_by("-published_at", "-pk")
                wishes += part[start:min(stop, size)]
            start, stop = max(start - size, 0), stop - size
        return wishes


def claimable_for(user):
    """Open wishes of the user's community, those in the member's own grid cell first."""
    qs = MicroWish.objects.filter(community_id=user.community_id, status=S.OPEN).select_related("grid_cell", "building")
    member = PartyMember.objects.filter(user=user).only("grid_cell_id").first() if user.community_id else None
    home_cell = member.grid_cell_id if member else None
    if home_cell is None:  # a liaison, or a member without a home cell: oldest first
        return qs.order_by("published_at", "pk")
    return qs.annotate(
        near=Case(When(grid_cell_id=home_cell, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("near", "published_at", "pk")


def suggested_claimers(wish, limit=8):
    """Active, reported members of the wish's community whose skills match its
    text or category, or who live in its grid cell, best matches first."""
    words = [w for w in (wish.title + " " + wish.description).split() if w]
    skill_match = Q()
    for tag_name in wish_category_skills(wish.category):
        skill_match |= Q(skills__name__icontains=tag_name)
    for word in words[:10]:
        if len(word) >= 2:
            skill_match |= Q(skills__name__icontains=word[:4])
    members = PartyMember.objects.filter(community_id=wish.community_id, is_active=True, reported_on__isnull=False)
    score = Count("skills", filter=skill_match, distinct=True) if skill_match else Value(0)
    return (
        members.annotate(
            skill_score=score,
            same_cell=Case(When(grid_cell_id=wish.grid_cell_id, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .filter(Q(skill_score__gt=0) | Q(same_cell=1))
        .select_related("grid_cell", "employer_unit")
        .order_by("-skill_score", "-same_cell", "name")[:limit]
    )


CATEGORY_SKILLS = {
    "study": ["教育", "辅导", "教学"],
    "repair": ["维修", "电工", "水电"],
    "health": ["医疗", "护理", "义诊"],
    "company": ["心理", "陪伴", "文艺"],
    "daily": ["驾驶", "采购"],
}


def wish_category_skills(category):
    return CATEGORY_SKILLS.get(category, [])


def due_for_anonymising(cutoff):
    """Finished wishes (fulfilled or not accepted) before `cutoff` whose resident
    data are still there, and whose resident has no other wish in the community
    that is unfinished or finished since: a resident's wishes are anonymised
    together, so that "residents whose wishes were fulfilled" counts them once
    in any period, before and after."""
    finished_before = Q(status=S.FULFILLED, fulfilled_at__lt=cutoff) | Q(status=S.REJECTED, rejected_at__lt=cutoff)
    still_needed = (
        MicroWish.objects.filter(
            community=OuterRef("community"), wisher_phone=OuterRef("wisher_phone"), anonymised_at__isnull=True
        )
        .exclude(finished_before)
    )
    return MicroWish.objects.filter(finished_before, anonymised_at__isnull=True).exclude(Exists(still_needed))
