"""Exports prepared in the background (office.jobs, office.tasks): asking, the
worker's claim, failures, upkeep, downloads and who may see them."""

import datetime
import io
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from audit.models import SecurityEvent
from conftest import make_user
from grid.models import CoBuildingUnit
from office import jobs
from office.models import ExportJob
from office.tasks import build_export, prune_exports
from portal.models import User
from portal.scope import ReportScope

Q2023 = "from=2023-01-01&to=2023-12-31"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit(community_a):
    return CoBuildingUnit.objects.create(community=community_a, name="县供电公司", agreement_signed_on=datetime.date(2023, 1, 1))


def _client(client, user):
    client.force_login(user)
    return client


def _start(client, kind, query=Q2023, capture=None):
    url = reverse("office:export_start") + "?" + query
    if capture is None:
        return client.post(url, {"kind": kind})
    with capture(execute=True):
        return client.post(url, {"kind": kind})


def _scope(user, start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31)):
    return ReportScope(start=start, end=end, community_ids=[user.community_id], community=user.community)


def test_dashboard_link_opens_a_confirmation_of_the_scope(client, staff_a):
    response = _client(client, staff_a).get(reverse("office:export_list") + "?kind=figures&" + Q2023)
    page = response.content.decode()
    assert response.status_code == 200
    assert "沙河街社区" in page and "2023-01-01 – 2023-12-31" in page
    assert f'action="{reverse("office:export_start")}?from=2023-01-01&amp;to=2023-12-31&amp;community=shahejie"' in page
    assert not ExportJob.objects.exists()  # a GET asks nothing


def test_figures_export_is_prepared_listed_and_downloaded(client, staff_a, unit, django_capture_on_commit_callbacks):
    client = _client(client, staff_a)
    response = _start(client, "figures", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == reverse("office:export_list")
    job = ExportJob.objects.get()
    assert (job.status, job.kind, job.community, job.start, job.end) == (
        "done", "figures", staff_a.community, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
    )
    assert job.filename == "figures-20230101-20231231.xlsx" and job.attempts == 1
    listing = client.get(reverse("office:export_list")).content.decode()
    assert job.get_download_url() in listing and 'http-equiv="refresh"' not in listing

    download = client.get(job.get_download_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'attachment; filename="figures-20230101-20231231.xlsx"' == download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert rows["共驻共建单位"] == 1  # the unit above, counted from the records
    assert SecurityEvent.objects.filter(event_type="data_exported", description__contains="2023-01-01").exists()


def test_file_is_written_in_the_language_of_the_request(client, staff_a, unit, django_capture_on_commit_callbacks):
    client = _client(client, staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("office:export_list"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("office:export_start") + "?" + Q2023, {"kind": "figures"}, HTTP_ACCEPT_LANGUAGE="en")
    job = ExportJob.objects.get()
    assert job.language == "en"
    workbook = load_workbook(io.BytesIO(job.file.read()))
    assert "Co-building units" in [row[0] for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_area_admin_exports_every_units_sheet(client, area_admin, community_a, unit, member_a, django_capture_on_commit_callbacks):
    client = _client(client, area_admin)
    _start(client, "feedback", capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == "done" and job.community is None and job.filename == "feedback-all-20230101-20231231.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(job.file.read())).paragraphs)
    assert "县供电公司" in text


def test_unknown_kind_is_refused_with_a_message(client, staff_a, django_capture_on_commit_callbacks):
    response = _start(_client(client, staff_a), "everything", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not ExportJob.objects.exists()
    page = client.get(reverse("office:export_list")).content.decode()
    assert "选择一个有效的选项" in page
    # A confirmation link with an unknown kind offers nothing.
    assert "export_start" not in client.get(reverse("office:export_list") + "?kind=x").content.decode()


def test_bad_dates_fall_back_to_this_year_with_a_message(client, staff_a):
    response = _client(client, staff_a).get(reverse("office:export_list") + "?kind=figures&from=2023-02-30")
    year = timezone.localdate().year
    assert response.status_code == 200
    assert f"{year}-01-01 – {year}-12-31" in response.content.decode()
    assert "日期格式不对" in response.content.decode()


def test_too_many_waiting_exports_are_refused(client, staff_a):
    client = _client(client, staff_a)
    for _ in range(jobs.MAX_PENDING):
        _start(client, "figures")  # on_commit never runs in this test: they stay queued
    assert ExportJob.objects.filter(status="queued").count() == jobs.MAX_PENDING
    _start(client, "figures")
    assert ExportJob.objects.count() == jobs.MAX_PENDING
    page = client.get(reverse("office:export_list")).content.decode()
    assert "正在生成" in page and 'http-equiv="refresh"' in page  # the list reloads while waiting


def test_a_job_is_claimed_once(staff_a):
    job = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    assert jobs.run_export(job.pk) == "done"
    assert jobs.run_export(job.pk) == ""  # the same task delivered again does nothing
    job.refresh_from_db()
    assert job.attempts == 1 and job.status == "done"


def test_the_celery_task_runs_the_job(staff_a):
    job = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    assert settings.CELERY_TASK_ALWAYS_EAGER  # no broker in tests: inline
    build_export.delay(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.file.size > 0


def test_a_requester_without_the_right_any_more_gets_nothing(staff_a):
    job = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    User.objects.filter(pk=staff_a.pk).update(role=User.Role.GRID_WORKER)
    assert jobs.run_export(job.pk) == "failed"
    job.refresh_from_db()
    assert job.file.name == "" and "无权" in job.error


def test_staff_cannot_get_a_roll_up_of_all_communities(staff_a):
    job = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=None,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    assert jobs.run_export(job.pk) == "failed"


def test_a_district_export_of_an_admin_moved_elsewhere_is_refused(db):
    from portal.models import Area

    city = Area.objects.create(code="city", name="示例市", level="city")
    d1 = Area.objects.create(code="d1", name="一区", level="district", parent=city)
    d2 = Area.objects.create(code="d2", name="二区", level="district", parent=city)
    admin = make_user("d1_admin", User.Role.AREA_ADMIN, area=d1)
    job = ExportJob.objects.create(kind="figures", requested_by=admin, area=d1,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    User.objects.filter(pk=admin.pk).update(area=d2)  # moved to another district before the worker ran
    assert jobs.run_export(job.pk) == "failed"
    job.refresh_from_db()
    assert job.file.name == "" and "无权" in job.error


def test_a_file_built_for_a_job_taken_over_meanwhile_is_not_left_behind(staff_a, monkeypatch):
    """A worker killed-and-requeued race: while this worker builds, the job is finished
    by another; the second copy of the file is removed, the row keeps the first."""
    job = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    real = jobs.BUILDERS[ExportJob.Kind.FIGURES]
    saved = []

    def build_then_lose_the_job(user, scope):
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED)  # someone else ended it
        return real(user, scope)

    monkeypatch.setitem(jobs.BUILDERS, ExportJob.Kind.FIGURES, build_then_lose_the_job)
    original_save = ExportJob.file.field.attr_class.save

    def remember(self, name, content, save=True):
        original_save(self, name, content, save)
        saved.append(self.path)

    monkeypatch.setattr(ExportJob.file.field.attr_class, "save", remember)
    assert jobs.run_export(job.pk) == ""
    job.refresh_from_db()
    assert job.status == "failed" and job.file.name == ""
    assert saved and not os.path.exists(saved[0])


def test_a_failing_build_is_recorded_and_can_be_asked_again(staff_a, monkeypatch, django_capture_on_commit_callbacks):
    def broken(user, scope):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.BUILDERS, ExportJob.Kind.FIGURES, broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_export(staff_a, "figures", _scope(staff_a))
    job.refresh_from_db()
    assert job.status == "failed" and "disk full" not in job.error and job.error
    assert job.finished_at is not None


def test_lost_tasks_are_queued_again_and_old_exports_removed(staff_a, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS + 1)
    lost = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community,
                                    start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    ExportJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    hopeless = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community, attempts=3,
                                        start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    ExportJob.objects.filter(pk=hopeless.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    old = ExportJob(kind="figures", requested_by=staff_a, community=staff_a.community, status="done", filename="old.xlsx",
                    start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    old.file.save("old.xlsx", ContentFile(b"old"), save=False)
    old.save()
    ExportJob.objects.filter(pk=old.pk).update(created_at=long_ago)
    stored = old.file.path

    with django_capture_on_commit_callbacks(execute=True):
        result = prune_exports.delay().get()
    assert result == {"requeued": 1, "removed": 1}
    lost.refresh_from_db()
    hopeless.refresh_from_db()
    assert lost.status == "done" and hopeless.status == "failed"
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(stored)


def test_permissions(client, staff_a, staff_b, grid_worker_a, member_user_a, community_a):
    job = ExportJob(kind="figures", requested_by=staff_a, community=community_a, status="done", filename="f.xlsx",
                    start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    job.file.save("f.xlsx", ContentFile(b"x"), save=False)
    job.save()
    url = job.get_download_url()
    for anonymous in (client.get(reverse("office:export_list")), client.post(reverse("office:export_start"), {"kind": "figures"})):
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert client.get(url).status_code == 302
    for user in (grid_worker_a, member_user_a):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(reverse("office:export_start"), {"kind": "figures"}).status_code == 403
        assert client.get(reverse("office:export_list")).status_code == 403
    # Another community's staff, and a colleague in the same community: not theirs.
    colleague = make_user("staff_a2", User.Role.STAFF, community_a)
    for user in (staff_b, colleague):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert url not in client.get(reverse("office:export_list")).content.decode()
    client.force_login(staff_a)
    assert client.get(url).status_code == 200
    assert client.get(reverse("office:export_start")).status_code == 405
    # Not ready yet: nothing to download.
    ExportJob.objects.filter(pk=job.pk).update(status="running", file="")
    assert client.get(url).status_code == 404


def test_list_query_count_does_not_grow(client, staff_a, django_assert_max_num_queries):
    for _ in range(60):
        ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community, status="failed",
                                 start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    client = _client(client, staff_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("office:export_list"))
    assert response.status_code == 200 and response.content.decode().count("list-group-item") == settings.PAGE_SIZE


def test_beat_schedule_names_registered_tasks():
    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
