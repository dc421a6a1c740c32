"""Separate consent to sensitive personal information (单独同意) on the forms where
residents describe their needs: the public wish and appeal forms (a required
box under a notice of purpose, retention and contact), and the staff forms
(the resident agreed on paper). The record keeps the notice's version and when."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from grid.models import Appeal
from portal.consent import CONSENT_VERSION
from wishes.models import MicroWish


@pytest.fixture(autouse=True)
def english(client, community_a):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    community_a.phone = "0936-5551234"
    community_a.save()


def wish_data(cell, **extra):
    return {
        "wisher_name": "王秀英", "wisher_phone": "13700001111", "grid_cell": cell.pk, "building": "",
        "address_detail": "", "category": "health", "title": "需要一副拐杖", "description": "腿脚不便，有残疾证。",
        "consent": "on", "sensitive_consent": "on", "website": "", **extra,
    }


def appeal_data(cell, **extra):
    return {
        "resident_name": "王秀英", "resident_phone": "13700001111", "grid_cell": cell.pk, "building": "",
        "address_detail": "", "category": "assistance", "title": "申请残疾人补贴", "description": "家里有残疾人。",
        "consent": "on", "sensitive_consent": "on", "website": "", **extra,
    }


FORMS = {
    "wish": (lambda c: f"{reverse('wishes:new')}?c={c.code}", wish_data, MicroWish),
    "appeal": (lambda c: f"{reverse('grid:appeal_new')}?c={c.code}", appeal_data, Appeal),
}


@pytest.mark.parametrize("which", sorted(FORMS))
def test_the_form_shows_the_separate_box_under_the_notice(client, community_a, cell_a, which, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 400
    url, _data, _model = FORMS[which]
    page = client.get(url(community_a)).content.decode()
    assert 'name="sensitive_consent"' in page and 'name="consent"' in page  # two boxes: general and separate
    assert "I separately agree" in page
    assert "Purpose: only to handle this" in page
    assert "400 days after it is finished" in page
    assert "0936-5551234" in page
    assert f"Notice version {CONSENT_VERSION}" in page


@pytest.mark.parametrize("which", sorted(FORMS))
def test_without_the_separate_box_nothing_is_saved(client, community_a, cell_a, which):
    url, data, model = FORMS[which]
    response = client.post(url(community_a), data(cell_a, sensitive_consent=""))
    assert response.status_code == 200
    assert "sensitive_consent" in response.context["form"].errors
    assert "Please tick this box" in response.content.decode()
    assert not model.objects.exists()


@pytest.mark.parametrize("which", sorted(FORMS))
def test_the_record_keeps_the_notice_version_and_time(client, community_a, cell_a, which):
    url, data, model = FORMS[which]
    before = timezone.now()
    response = client.post(url(community_a), data(cell_a))
    assert response.status_code == 302
    record = model.objects.get()
    assert record.consent_version == CONSENT_VERSION
    assert record.consent_at >= before


def test_without_an_office_phone_the_notice_says_to_ask_at_the_office(client, community_a, cell_a):
    community_a.phone = ""
    community_a.save()
    page = client.get(f"{reverse('wishes:new')}?c={community_a.code}").content.decode()
    assert "ask at the community office" in page


def test_the_notice_escapes_the_phone(client, community_a, cell_a):
    community_a.phone = "<b>1</b>"
    community_a.save()
    page = client.get(f"{reverse('wishes:new')}?c={community_a.code}").content.decode()
    assert "&lt;b&gt;1&lt;/b&gt;" in page and "<b>1</b>" not in page


# Staff forms: consent given on paper ----------------------------------------------------------


def proxy_wish(cell, **extra):
    return {
        "wisher_name": "李桂兰", "wisher_phone": "13700002222", "grid_cell": cell.pk, "category": "health",
        "title": "需要助听器", "resident_agreed": "on", **extra,
    }


def recorded_appeal(cell, **extra):
    return {
        "resident_name": "李桂兰", "resident_phone": "13700002222", "grid_cell": cell.pk, "category": "assistance",
        "title": "申请低保", "resident_agreed": "on", **extra,
    }


STAFF_FORMS = {
    "wish": ("wishes:proxy_new", proxy_wish, MicroWish),
    "appeal": ("grid:appeal_record", recorded_appeal, Appeal),
}


@pytest.mark.parametrize("which", sorted(STAFF_FORMS))
@pytest.mark.parametrize("ticked,version", [("on", CONSENT_VERSION), ("", "")])
def test_staff_record_the_paper_consent(client, staff_a, cell_a, which, ticked, version):
    name, data, model = STAFF_FORMS[which]
    client.force_login(staff_a)
    page = client.get(reverse(name)).content.decode()
    assert 'name="paper_consent"' in page and "The resident agreed (paper form)" in page
    response = client.post(reverse(name), data(cell_a, paper_consent=ticked))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    record = model.objects.get()
    assert record.consent_version == version
    assert record.entered_by == staff_a and record.consent_at is not None
