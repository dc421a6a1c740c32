"""What a resident and the helping member are told as a wish moves on (wishes.notifications):
written in the step's transaction, once per step, in Chinese, naming nobody else."""

import pytest
from django.db import transaction
from django.urls import reverse

from notices.models import Notification
from wishes.models import MicroWish
from wishes.services import WishError, wish_cancel_claim, wish_claim, wish_reject

SMS = Notification.Channel.SMS


def sms_of(wish):
    return list(Notification.objects.filter(channel=SMS, about=f"wish:{wish.pk}").order_by("pk"))


def test_each_step_queues_one_sms_to_the_wisher(make_wish, staff_a, member_user_a, member_a):
    wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, sms_consent=True)
    rows = sms_of(wish)
    assert [row.event for row in rows] == ["wish.published", "wish.claimed", "wish.delivered"]
    assert {row.to for row in rows} == {"13700001111"} and {row.status for row in rows} == {"queued"}
    published, claimed, delivered = (row.text for row in rows)
    assert wish.code in published and "给孙子买一个书包"[:20] in published and "/wishes/track/?code=" in published
    assert "一名党员" in claimed and member_a.name not in claimed  # nobody else's name
    assert "确认" in delivered and rows[2].link.endswith(f"?code={wish.code}")
    assert all(row.community_id == wish.community_id for row in rows)


def test_a_rejection_tells_the_reason(make_wish, staff_a):
    wish = wish_reject(wish=make_wish(sms_consent=True), by=staff_a, reason="不属于微心愿范围")
    (row,) = sms_of(wish)
    assert row.event == "wish.rejected" and "不属于微心愿范围" in row.text


def test_a_second_claim_after_a_cancelled_one_is_told_again(make_wish, staff_a, member_user_a):
    wish = make_wish("claimed", staff=staff_a, claimer=member_user_a, sms_consent=True)
    wish = wish_cancel_claim(wish=wish, by=member_user_a, reason="临时出差")
    wish_claim(wish=MicroWish.objects.get(pk=wish.pk), by=member_user_a)
    assert [row.event for row in sms_of(wish)] == ["wish.published", "wish.claimed", "wish.claimed"]


def test_a_refused_step_queues_nothing(make_wish, staff_a, member_user_a, liaison_a):
    wish = make_wish("claimed", staff=staff_a, claimer=member_user_a, sms_consent=True)
    with pytest.raises(WishError):
        wish_claim(wish=wish, by=liaison_a)
    assert [row.event for row in sms_of(wish)] == ["wish.published", "wish.claimed"]


def test_a_step_rolled_back_leaves_no_notification(make_wish, staff_a, member_user_a):
    wish = make_wish("open", staff=staff_a, sms_consent=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        wish_claim(wish=wish, by=member_user_a)
        raise RuntimeError("the request failed after the claim")
    assert [row.event for row in sms_of(wish)] == ["wish.published"]


def test_the_member_who_helped_gets_an_inbox_message_and_a_badge(client, make_wish, staff_a, member_user_a):
    wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, sms_consent=True)
    (row,) = Notification.objects.filter(channel=Notification.Channel.INBOX)
    assert row.user == member_user_a and row.status == "sent" and "确认" in row.text
    client.force_login(member_user_a)
    page = client.get(reverse("notices:inbox")).content.decode()
    assert "给孙子买一个书包" in page and 'class="badge text-bg-warning">1' in page
    client.post(reverse("notices:inbox_read"))
    assert 'class="badge text-bg-warning"' not in client.get(reverse("notices:inbox")).content.decode()
    assert Notification.objects.get(pk=row.pk).read_at is not None
    assert wish.status == "fulfilled"


def test_an_anonymised_wish_is_told_nothing(make_wish, staff_a, member_user_a):
    wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, sms_consent=True)
    from wishes.services import wish_anonymise

    count = len(sms_of(wish))
    wish_anonymise(wish, by=staff_a)
    wish.refresh_from_db()
    from wishes.notifications import tell_resident

    tell_resident(wish, "delivered")
    assert len(sms_of(wish)) == count


def test_removing_the_residents_data_removes_the_phone_from_their_messages(make_wish, staff_a, member_user_a):
    from wishes.services import wish_anonymise

    wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, sms_consent=True)
    other = make_wish("open", staff=staff_a, wisher_phone="13700002222", sms_consent=True)
    wish_anonymise(wish, by=staff_a)
    assert all(row.to.startswith("x") and row.params == {} for row in sms_of(wish))
    assert not Notification.objects.filter(to="13700001111").exists()
    assert [row.to for row in sms_of(other)] == ["13700002222"]  # another resident's stay


def test_without_consent_to_text_messages_none_is_sent(make_wish, staff_a, member_user_a):
    wish = make_wish("delivered", staff=staff_a, claimer=member_user_a)  # the box left unticked
    assert sms_of(wish) == []


def test_the_public_form_records_the_choice(client, community_a, cell_a):
    from django.urls import reverse

    page = client.get(reverse("wishes:new"), {"c": community_a.code}).content.decode()
    assert 'name="sms_consent"' in page and "checked" not in page.split('name="sms_consent"')[1].split(">")[0]
