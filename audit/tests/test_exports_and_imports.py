"""Every file the portal hands out with data, and every Excel import, leaves an
entry in the security log: who, which export, which period or record, from where."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import SecurityEvent
from grid.models import CoBuildingUnit
from volunteers.models import Participation

Type = SecurityEvent.Type
ADDRESS = "192.168.10.7"
PERIOD = {"from": "2024-01-01", "to": "2024-06-30"}


def exported():
    return SecurityEvent.objects.get(event_type=Type.DATA_EXPORTED)


@pytest.fixture
def office(client, staff_a):
    client.force_login(staff_a)
    return client


def test_the_dashboard_workbook(office, staff_a, community_a):
    response = office.get(reverse("office:dashboard_export"), PERIOD, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    entry = exported()
    assert (entry.actor, entry.client_address, entry.result) == (staff_a, ADDRESS, SecurityEvent.Result.SUCCESS)
    assert "Dashboard" in entry.description and community_a.name in entry.description
    assert "2024-01-01 – 2024-06-30" in entry.description


def test_an_area_admins_workbook_of_all_communities(client, area_admin, community_a):
    client.force_login(area_admin)
    assert client.get(reverse("office:dashboard_export"), PERIOD).status_code == 200
    assert "All communities" in exported().description


def test_the_work_summary_download_but_not_its_preview(office, staff_a):
    url = reverse("office:work_summary") + "?from=2024-01-01&to=2024-06-30"
    assert office.post(url, {"text": "第一段。", "action": "preview"}).status_code == 200
    assert not SecurityEvent.objects.filter(event_type=Type.DATA_EXPORTED).exists()
    response = office.post(url, {"text": "第一段。", "action": "docx"}, REMOTE_ADDR=ADDRESS)
    assert response["Content-Disposition"].startswith("attachment")
    entry = exported()
    assert entry.actor == staff_a and "Work summary" in entry.description and "2024-01-01" in entry.description


def test_a_units_feedback_sheet(office, staff_a, unit_a):
    response = office.get(reverse("office:feedback_unit_docx", args=[unit_a.pk]), PERIOD, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    entry = exported()
    assert (entry.actor, entry.client_address) == (staff_a, ADDRESS)
    assert entry.object_id == str(unit_a.pk) and entry.object_type.model_class() is CoBuildingUnit
    assert unit_a.name in entry.description and "2024-06-30" in entry.description


def test_every_units_feedback_sheets(office, unit_a, community_a):
    assert office.get(reverse("office:feedback_all_docx"), PERIOD).status_code == 200
    entry = exported()
    assert "every unit" in entry.description and community_a.name in entry.description


def test_an_events_roster(office, staff_a, make_event, member_a):
    event = make_event(starts_in=-datetime.timedelta(days=2))
    Participation.objects.create(event=event, member=member_a, signed_up_at=timezone.now())
    response = office.get(reverse("volunteers:roster_export", args=[event.pk]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    entry = exported()
    assert (entry.actor, entry.client_address, entry.object_id) == (staff_a, ADDRESS, str(event.pk))
    assert "roster" in entry.description and event.title in entry.description and "1 rows" in entry.description


def test_refused_exports_record_nothing(client, grid_worker_a, staff_b, unit_a):
    client.force_login(grid_worker_a)
    assert client.get(reverse("office:dashboard_export")).status_code == 403
    client.force_login(staff_b)
    assert client.get(reverse("office:feedback_unit_docx", args=[unit_a.pk])).status_code == 404
    assert not SecurityEvent.objects.filter(event_type=Type.DATA_EXPORTED).exists()


# Imports --------------------------------------------------------------------------------------

UNIT_HEADERS = ["单位名称", "类型", "党组织名称", "联络人", "联络电话", "签约日期",
                "可提供资源", "资源标签", "单位报到日期", "服务承诺", "是否有效"]  # fmt: skip


def upload(rows, name="共建单位.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def test_an_import_with_its_counts(office, staff_a, community_a):
    rows = [UNIT_HEADERS, ["县教育局", "机关"] + [None] * 9, ["县医院", "国企"] + [None] * 9]
    response = office.post(reverse("grid:unit_import"), {"file": upload(rows)}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    entry = SecurityEvent.objects.get(event_type=Type.BULK_IMPORTED)
    assert (entry.actor, entry.client_address, entry.result) == (staff_a, ADDRESS, SecurityEvent.Result.SUCCESS)
    assert "共建单位.xlsx" in entry.description and community_a.name in entry.description
    assert "2 added, 0 updated, 0 unchanged, 0 problems" in entry.description


def test_a_refused_import_is_a_failure(office, community_a):
    rows = [UNIT_HEADERS, ["县教育局", "不知道是什么类型"] + [None] * 9]
    assert office.post(reverse("grid:unit_import"), {"file": upload(rows)}).status_code == 200
    entry = SecurityEvent.objects.get(event_type=Type.BULK_IMPORTED)
    assert entry.result == SecurityEvent.Result.FAILURE and "0 added" in entry.description and "1 problems" in entry.description
    assert not CoBuildingUnit.objects.exists()
