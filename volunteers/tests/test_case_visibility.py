"""Special-group cases hold sensitive personal information (敏感个人信息:
disability, illness, children, low income). Only the office of the case's
community and the person the case is assigned to see it; never other members,
liaisons, grid workers it is not assigned to, the security auditor, public
pages or the feedback sheets sent to units."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import SecurityEvent
from conftest import make_user
from grid.models import PartyMember, VisitLog
from grid.services_work import visit_to_case
from portal.models import User
from volunteers.models import SpecialGroupCase

PROBLEM = "轮椅坏了需要维修"
RESIDENT = "刘奶奶"


@pytest.fixture
def other_member_user(community_a, unit_a, cell_a):
    user = make_user("member_a2", User.Role.MEMBER, community_a)
    PartyMember.objects.create(
        community=community_a, name="李明", gender="male", phone="13800009999", employer_unit=unit_a, grid_cell=cell_a,
        registered_on=datetime.date(2023, 3, 5), user=user,
    )
    return user


@pytest.fixture
def other_grid_worker(community_a, cell_a):
    """Works the same grid cell as the case, but the case is not theirs."""
    user = make_user("grid_a2", User.Role.GRID_WORKER, community_a)
    cell_a.workers.add(user)
    return user


@pytest.fixture
def auditor(db):
    return make_user("shenji", User.Role.AUDITOR)


@pytest.fixture
def case(community_a, cell_a, member_user_a, member_a):
    """A disabled resident's case, assigned to the member who looks after it."""
    return SpecialGroupCase.objects.create(
        community=community_a, group="disabled", resident_name=RESIDENT, resident_phone="13500003333",
        grid_cell=cell_a, address_detail="5号楼1单元101室", problem=PROBLEM, description="行动不便",
        assigned_to=member_user_a, taken_by_member=member_a,
    )


# (actor, detail page, list shows the case)
MATRIX = [
    ("area_admin", 200, True),
    ("staff_a", 200, True),
    ("staff_b", 404, False),
    ("member_user_a", 200, True),  # assigned
    ("other_member_user", 403, False),
    ("liaison_a", 403, None),  # the list is refused too
    ("grid_worker_a", 403, False),  # their cell, not assigned to them
    ("other_grid_worker", 403, False),
    ("auditor", 403, None),
]


@pytest.mark.parametrize("actor,detail,listed", MATRIX, ids=[row[0] for row in MATRIX])
def test_visibility_matrix(client, request, case, actor, detail, listed):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("volunteers:case_detail", args=[case.pk])).status_code == detail
    response = client.get(reverse("volunteers:case_list"))
    if listed is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert (case in response.context["object_list"]) is listed
        assert (PROBLEM in response.content.decode()) is listed


def test_anonymous_visitors_are_sent_to_login(client, case):
    for url in [reverse("volunteers:case_detail", args=[case.pk]), reverse("volunteers:case_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize(
    "actor,visible",
    [
        ("area_admin", True), ("staff_a", True), ("staff_b", False), ("member_user_a", True), ("other_member_user", False),
        ("liaison_a", False), ("grid_worker_a", False), ("auditor", False),
    ],
)
def test_for_user(request, case, actor, visible):
    assert SpecialGroupCase.objects.for_user(request.getfixturevalue(actor)).filter(pk=case.pk).exists() is visible


def test_a_grid_worker_assigned_to_the_case_sees_and_updates_it(client, case, grid_worker_a):
    SpecialGroupCase.objects.filter(pk=case.pk).update(assigned_to=grid_worker_a)
    client.force_login(grid_worker_a)
    assert client.get(reverse("volunteers:case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("volunteers:case_update", args=[case.pk])).status_code == 200
    response = client.post(reverse("volunteers:case_status", args=[case.pk]), {"status": "in_progress"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == SpecialGroupCase.Status.IN_PROGRESS


def test_the_assigned_member_reads_and_records_progress_but_does_not_edit(client, case, member_user_a):
    client.force_login(member_user_a)
    page = client.get(reverse("volunteers:case_detail", args=[case.pk])).content.decode()
    assert RESIDENT in page and reverse("volunteers:case_update", args=[case.pk]) not in page
    assert client.get(reverse("volunteers:case_update", args=[case.pk])).status_code == 403
    assert client.get(reverse("volunteers:case_create")).status_code == 403
    response = client.post(
        reverse("volunteers:case_status", args=[case.pk]), {"status": "solved", "action_taken": "修好了轮椅"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == SpecialGroupCase.Status.SOLVED


def test_others_cannot_change_the_status(client, case, other_member_user, liaison_a, grid_worker_a, staff_b):
    for user, status in [(other_member_user, 403), (liaison_a, 403), (grid_worker_a, 403), (staff_b, 404)]:
        client.force_login(user)
        assert client.post(reverse("volunteers:case_status", args=[case.pk]), {"status": "solved"}).status_code == status
    case.refresh_from_db()
    assert case.status == SpecialGroupCase.Status.OPEN


def test_a_grid_workers_new_case_is_theirs(client, grid_worker_a, cell_a):
    client.force_login(grid_worker_a)
    form = client.get(reverse("volunteers:case_create")).context["form"]
    assert "assigned_to" not in form.fields  # only the office assigns
    response = client.post(
        reverse("volunteers:case_create"),
        {"group": "child", "resident_name": "小明", "grid_cell": cell_a.pk, "problem": "缺书包",
         "opened_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    case = SpecialGroupCase.objects.get(problem="缺书包")
    assert case.assigned_to == grid_worker_a
    assert client.get(case.get_absolute_url()).status_code == 200


def test_a_grid_workers_case_from_a_visit_is_theirs(grid_worker_a, community_a, cell_a):
    visit = VisitLog.objects.create(
        community=community_a, grid_cell=cell_a, household="3单元502室", kind=VisitLog.Kind.CARE,
        findings="独居老人，腿脚不便。", visitor=grid_worker_a,
    )
    case = visit_to_case(visit=visit, by=grid_worker_a, group="elderly_alone", problem="腿脚不便", resident_name="王奶奶")
    assert case.assigned_to == grid_worker_a


def test_the_office_assigns_a_case_to_a_member_or_grid_worker_of_the_community(
    client, staff_a, case, grid_worker_a, liaison_a, member_user_a, staff_b
):
    client.force_login(staff_a)
    form = client.get(reverse("volunteers:case_update", args=[case.pk])).context["form"]
    choices = set(form.fields["assigned_to"].queryset)
    assert choices == {grid_worker_a, member_user_a}  # no liaison, no office account, no other community
    data = {
        "group": "disabled", "resident_name": RESIDENT, "problem": PROBLEM, "grid_cell": case.grid_cell_id,
        "opened_on": case.opened_on.isoformat(), "assigned_to": grid_worker_a.pk,
    }
    assert client.post(reverse("volunteers:case_update", args=[case.pk]), data).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == grid_worker_a
    response = client.post(reverse("volunteers:case_update", args=[case.pk]), {**data, "assigned_to": liaison_a.pk})
    assert "assigned_to" in response.context["form"].errors


def test_viewing_a_case_is_recorded_in_the_security_log(client, case, member_user_a):
    client.force_login(member_user_a)
    client.get(reverse("volunteers:case_detail", args=[case.pk]), REMOTE_ADDR="10.0.0.7")
    entry = SecurityEvent.objects.get(event_type=SecurityEvent.Type.PERSONAL_DATA_VIEWED)
    assert entry.actor == member_user_a and entry.object_id == str(case.pk) and entry.client_address == "10.0.0.7"


def test_a_refused_case_page_records_nothing(client, case, other_member_user):
    client.force_login(other_member_user)
    client.get(reverse("volunteers:case_detail", args=[case.pk]))
    assert not SecurityEvent.objects.filter(event_type=SecurityEvent.Type.PERSONAL_DATA_VIEWED).exists()


def test_feedback_sheets_for_units_never_mention_cases(client, staff_a, case, unit_a, member_a):
    """The member took the case on: their employer's feedback sheet still says
    nothing about it (nor about the resident or the special group)."""
    client.force_login(staff_a)
    period = {"from": "2020-01-01", "to": timezone.localdate().isoformat()}
    page = client.get(reverse("office:feedback_unit", args=[unit_a.pk]), period).content.decode()
    assert member_a.name in page
    response = client.get(reverse("office:feedback_unit_docx", args=[unit_a.pk]), period)
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs) + str(
        [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    )
    for secret in (PROBLEM, RESIDENT, "残疾", "Disabled", "special", "特殊群体"):
        assert secret not in page and secret not in text


def test_public_pages_never_show_cases(client, case, community_a):
    for url in [reverse("office:home"), reverse("wishes:wall"), reverse("volunteers:calendar"), reverse("council:public_topics")]:
        page = client.get(url).content.decode()
        assert PROBLEM not in page and RESIDENT not in page
