"""portal/resident_requests.py: what a micro-wish and an appeal share, tried on both."""

import datetime

import pytest
from django.utils import timezone

from grid.models import Appeal, AppealEvent
from grid.services_work import AppealError, appeal_submit
from portal import resident_requests
from wishes.models import MicroWish, WishEvent
from wishes.services import WishError, wish_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def wish(community_a, cell_a):
    return wish_submit(
        wish=MicroWish(
            community=community_a, grid_cell=cell_a, category="study", title="书包",
            wisher_name="王秀英", wisher_phone="13700001111",
        )
    )


@pytest.fixture
def appeal(community_a, cell_a, staff_a):
    return appeal_submit(
        appeal=Appeal(
            community=community_a, grid_cell=cell_a, category="other", title="路灯坏了",
            resident_name="李建国", resident_phone="13900002222",
        ),
        entered_by=staff_a,
    )


@pytest.fixture(params=["wish", "appeal"])
def case(request):
    """(record, its step model, its error, a status it is not in, a status it may go to)."""
    if request.param == "wish":
        return request.getfixturevalue("wish"), WishEvent, WishError, MicroWish.Status.OPEN, MicroWish.Status.OPEN
    return request.getfixturevalue("appeal"), AppealEvent, AppealError, Appeal.Status.ANSWERED, Appeal.Status.ASSIGNED


def test_both_models_are_resident_requests():
    assert issubclass(MicroWish, resident_requests.ResidentRequest)
    assert issubclass(Appeal, resident_requests.ResidentRequest)
    assert issubclass(WishEvent, resident_requests.RequestStep)
    assert issubclass(AppealEvent, resident_requests.RequestStep)
    # The shared Meta ordering reaches the concrete step models.
    assert WishEvent._meta.ordering == AppealEvent._meta.ordering == ["created_at", "pk"]


def test_submit_records_consent_and_who_sent_it(wish, appeal, staff_a):
    for record in (wish, appeal):
        assert record.consent_at is not None
        assert record.sent_at == record.consent_at
        assert len(record.code) == 10
    first_wish_step = wish.events.get()
    assert first_wish_step.by_resident and first_wish_step.actor is None and first_wish_step.from_status == ""
    first_appeal_step = appeal.events.get()
    assert not first_appeal_step.by_resident and first_appeal_step.actor == staff_a
    assert str(first_appeal_step) == f"{appeal.pk}: - → received"


def test_resident_fields_by_name(wish, appeal):
    assert (wish.requester_name, wish.requester_phone, wish.masked_name) == ("王秀英", "13700001111", "王**")
    assert (appeal.requester_name, appeal.requester_phone, appeal.masked_name) == ("李建国", "13900002222", "李**")
    assert wish.sent_at == wish.submitted_at and appeal.sent_at == appeal.received_at


def test_move_changes_status_records_step_and_history(case, staff_a):
    record, steps, error, _absent, target = case
    before = record.status
    history = record.history.count()
    moved = resident_requests.move(
        record, steps=steps, error=error, sources=[before], target=target, actor=staff_a, note="好", refused="no"
    )
    assert moved.status == target
    step = record.events.last()
    assert (step.from_status, step.to_status, step.actor, step.note) == (before, target, staff_a, "好")
    assert record.history.count() == history + 1


def test_move_from_a_status_it_is_not_in_is_refused_and_writes_nothing(case, staff_a):
    record, steps, error, absent, target = case
    status, count = record.status, record.events.count()
    with pytest.raises(error) as refusal:
        resident_requests.move(record, steps=steps, error=error, sources=[absent], target=target, refused="晚了一步")
    assert refusal.value.messages == ["晚了一步"]
    record.refresh_from_db()
    assert record.status == status and record.events.count() == count


def test_a_long_note_is_cut_to_the_step_models_length(case):
    record, steps, error, _absent, target = case
    limit = steps._meta.get_field("note").max_length
    resident_requests.move(record, steps=steps, error=error, sources=[record.status], target=target, note="长" * (limit + 50), refused="")
    assert len(record.events.last().note) == limit


def test_move_takes_the_time_given(appeal):
    at = timezone.now() - datetime.timedelta(hours=3)
    resident_requests.move(
        appeal, steps=AppealEvent, error=AppealError, sources=["received"], target="assigned", now=at, refused=""
    )
    assert appeal.events.get(to_status="assigned").created_at == at
