"""Django admin with a few thousand members: no page lists a large table.

A <select> of every member, unit or user made the add pages of teams, projects,
events and participations take 26-60 s. Every relation to a table that grows
is an autocomplete (or raw id) field, no list filter names every row of such a
table, and change lists fetch what their columns show in the same query.

The checks read `admin.site._registry`, so a newly registered model, inline or
relation is covered without touching this file.
"""

import datetime
import html

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import (
    AutocompleteMixin,
    ForeignKeyRawIdWidget,
    RelatedFieldWidgetWrapper,
)
from django.contrib.auth.models import Group
from django.db import connection
from django.forms import ModelChoiceField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import SecurityEvent
from audit.services import record_event
from demo import scale_data
from grid.models import CoBuildingUnit, PartyMember, Tag, VisitComment, VisitLog
from notices.models import Notification, OptOut
from office.models import ExportJob
from portal.models import Community, User
from volunteers.models import (
    EventKind,
    Participation,
    PointsEntry,
    PointsRule,
    VolunteerEvent,
)

OUR_APPS = {"portal", "grid", "wishes", "volunteers", "council", "audit", "notices"}
# Tables of ours that stay small whatever the scale: a plain <select> and a list
# filter are fine for them. Community is not here (about 1,000 in a city), but
# its list filter is (LIST_FILTER_OK).
SMALL = {EventKind}  # the built-in kinds and a few a community adds
LARGE = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS} - SMALL
LIST_FILTER_OK = SMALL | {Community}
BOUNDED_WIDGETS = (AutocompleteMixin, ForeignKeyRawIdWidget)  # raw id: ForeignKey and ManyToMany

MAX_QUERIES = 30
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
TODAY = datetime.date(2026, 5, 20)


def label(model):
    return model._meta.label


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# The configuration, read from the registry ----------------------------------------------------


def admin_forms(model, model_admin, request):
    """(label, form class, parent link) of what the admin's add and change pages and
    their inlines show; an inline's link to its parent is a hidden field."""
    obj = model()
    if model_admin.has_add_permission(request):
        yield f"{label(model)} add", model_admin.get_form(request, None), None
    if model_admin.has_change_permission(request, obj):
        yield f"{label(model)} change", model_admin.get_form(request, obj, change=True), None
    for inline in model_admin.get_inline_instances(request, obj):
        formset = inline.get_formset(request, obj)
        yield f"{label(model)} inline {label(inline.model)}", formset.form, formset.fk.name


def unbounded_choices(form_class, parent_link=None):
    """The fields of `form_class` that would list every row of a large table."""
    for name, field in form_class.base_fields.items():
        if name == parent_link or not isinstance(field, ModelChoiceField):  # ModelMultipleChoiceField too
            continue
        widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
        if field.queryset.model in LARGE and not isinstance(widget, BOUNDED_WIDGETS):
            yield name, field.queryset.model


def test_every_relation_to_a_large_table_is_autocomplete_or_raw_id(rf, area_admin):
    request = rf.get("/admin/")
    request.user = area_admin
    found = [
        f"{where}: {name} -> {label(target)}"
        for model, model_admin in REGISTRY
        for where, form_class, parent_link in admin_forms(model, model_admin, request)
        for name, target in unbounded_choices(form_class, parent_link)
    ]
    assert found == [], "add the fields to autocomplete_fields (or raw_id_fields)"


def test_the_check_sees_a_plain_select(rf, area_admin):
    """The check above fails for a relation without autocomplete."""
    request = rf.get("/admin/")
    request.user = area_admin

    class PlainAdmin(admin.ModelAdmin):
        pass

    form_class = PlainAdmin(Participation, admin.site).get_form(request)
    assert dict(unbounded_choices(form_class)) == {"event": VolunteerEvent, "member": PartyMember, "hours_approved_by": User}


def related_filters(model, model_admin):
    """(path, target) of the list filters that name every row of a related table."""
    for item in model_admin.list_filter:
        if isinstance(item, str):
            path = item
        elif isinstance(item, (tuple, list)) and issubclass(item[1], admin.RelatedFieldListFilter):
            path = item[0]  # RelatedOnlyFieldListFilter too: every row in use
        else:
            continue  # a SimpleListFilter, or an empty / not-empty one
        last = get_fields_from_path(model, path)[-1]
        if last.is_relation:
            yield path, last.related_model


def test_no_list_filter_names_every_row_of_a_large_table():
    found = [
        f"{label(model)}: {path} -> {label(target)}"
        for model, model_admin in REGISTRY
        for path, target in related_filters(model, model_admin)
        if target in LARGE and target not in LIST_FILTER_OK
    ]
    assert found == []


def test_change_lists_fetch_their_related_columns_with_the_rows():
    found = []
    for model, model_admin in REGISTRY:
        columns = {
            name for name in model_admin.list_display
            if isinstance(name, str) and name in {f.name for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one}
        }
        fetched = model_admin.list_select_related
        if columns and fetched is not True and not columns <= set(fetched or ()):
            found.append(f"{label(model)}: {sorted(columns - set(fetched or ()))}")
    assert found == []


# The pages, with a few thousand rows ------------------------------------------------------------

SCALE = scale_data.Scale(
    communities=3, cells=20, buildings=1, units=17, members=100, wishes=4, events=4, attendances=5,
    visits=4, appeals=4, cases=2, topics=1, proxies=2, stations=1,
)


@pytest.fixture
def rows(db, area_admin):
    """300 members, 51 units, 60 grid cells and buildings, 300 more users, 60 more
    communities and tags, and a few records of every other kind, in bulk."""
    scale_data.CountyBuilder(SCALE, password_hash="!", today=TODAY, log=lambda line: None).build()
    communities = list(Community.objects.all())
    Community.objects.bulk_create(
        Community(code=f"scale-{n:03d}", name=f"规模社区{n:03d}", town="示例镇", county="示例县") for n in range(60)
    )
    User.objects.bulk_create(
        User(username=f"scale-user-{n:03d}", full_name=f"规模用户{n:03d}", role=User.Role.MEMBER,
             community=communities[n % len(communities)], password="!")
        for n in range(300)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"规模标签{n:02d}") for n in range(60))
    CoBuildingUnit.objects.order_by("pk").first().resource_tags.set(tags[:2])
    member = PartyMember.objects.order_by("pk").first()
    member.skills.set(tags[2:4])
    VisitComment.objects.bulk_create(
        VisitComment(visit=VisitLog.objects.order_by("pk").first(), author=area_admin, text=f"备注{n}") for n in range(3)
    )
    PointsRule.objects.bulk_create(PointsRule(community=c) for c in communities)
    participation = Participation.objects.filter(member__community=member.community).order_by("pk").first()
    PointsEntry.objects.create(
        community=member.community, member=participation.member, kind=PointsEntry.Kind.EVENT, points=10,
        participation=participation, created_by=area_admin,
    )
    record_event(SecurityEvent.Type.USER_CREATED, actor=area_admin, obj=area_admin)
    Notification.objects.create(event="wish.claimed", key="wish:1:claimed", channel="sms", to="13700001111",
                                community=communities[0], template="wish_claimed", text="……")
    OptOut.objects.create(phone="13700002222")
    Group.objects.create(name="规模组")
    ExportJob.objects.create(kind="figures", requested_by=area_admin, start=TODAY, end=TODAY, status="failed")
    access = {"username": "nobody", "ip_address": "10.0.0.1", "user_agent": "test", "http_accept": "*/*", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)
    assert PartyMember.objects.count() >= 300 and CoBuildingUnit.objects.count() >= 50 and User.objects.count() >= 300


def names_listed(page: str) -> dict[str, str]:
    """The large tables of which the page names more than a few rows: a <select> of them."""
    listed = {}
    for model in (User, PartyMember, CoBuildingUnit, Community, Tag):
        names = {str(obj) for obj in model.objects.all()}
        shown = {name for name in names if html.escape(name) in page}
        if len(shown) > max(12, len(names) // 10):
            listed[label(model)] = f"{len(shown)} of {len(names)}"
    return listed


def visit(client, urls):
    """Open each page; what went wrong with each: its status, too many queries, a long list."""
    problems = {}
    for name, address in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        if response.status_code != 200:
            problems[name] = f"status {response.status_code}"
        elif len(queries) > MAX_QUERIES:
            problems[name] = f"{len(queries)} queries"
        elif listed := names_listed(response.content.decode()):
            problems[name] = f"lists {listed}"
    return problems


def test_add_pages_answer_without_listing_large_tables(client, area_admin, rows, rf):
    request = rf.get("/admin/")
    request.user = area_admin
    urls = [(label(m), url(m, "add")) for m, model_admin in REGISTRY if model_admin.has_add_permission(request)]
    assert len(urls) > 20
    client.force_login(area_admin)
    assert visit(client, urls) == {}


def test_change_pages_answer_without_listing_large_tables(client, area_admin, rows):
    urls, missing = [], []
    for model, _ in REGISTRY:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            missing.append(label(model))
        else:
            urls.append((label(model), url(model, "change", obj.pk)))
    assert missing == [], "give the `rows` fixture one of these, so that its change page is checked"
    client.force_login(area_admin)
    assert visit(client, urls) == {}


def test_change_lists_answer_within_a_few_queries(client, area_admin, rows):
    client.force_login(area_admin)
    problems = {}
    for model, _ in REGISTRY:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(model, "changelist"))
        if response.status_code != 200 or len(queries) > MAX_QUERIES:
            problems[label(model)] = f"status {response.status_code}, {len(queries)} queries"
    assert problems == {}


def test_autocomplete_finds_a_member(client, area_admin, rows):
    member = PartyMember.objects.order_by("pk").first()
    client.force_login(area_admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "volunteers", "model_name": "participation", "field_name": "member", "term": member.name},
    )
    assert response.status_code == 200
    found = response.json()["results"]
    assert {"id": str(member.pk), "text": member.name} in found
    assert all(member.name in result["text"] for result in found)  # the matches only
