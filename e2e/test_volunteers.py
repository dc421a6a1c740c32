"""A party member signs up for a volunteer event on their phone and checks in at the venue."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from e2e.browsing import zh, zh_n
from volunteers.models import Participation, VolunteerEvent

TITLE = "楼院义务理发"


def test_a_member_signs_up_and_checks_in_with_the_code(browse, community_a, cell_a, member_user_a, builtin_kind):
    # An event in an hour: sign-up is still open and check-in opens 2 hours before the start.
    starts_at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=1)
    event = VolunteerEvent.objects.create(
        community=community_a,
        title=TITLE,
        kind=builtin_kind("haircut"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="东区网格活动室",
        grid_cell=cell_a,
        capacity=8,
    )

    # Last week's event is still on the calendar, greyed, with its figures.
    held_on = starts_at - datetime.timedelta(days=7)
    VolunteerEvent.objects.create(
        community=community_a, title="上周政策宣传", kind=builtin_kind("policy"), starts_at=held_on,
        ends_at=held_on + datetime.timedelta(hours=2), place="社区党群服务中心", status=VolunteerEvent.Status.DONE,
    )

    member = browse.login(member_user_a)
    member.menu(zh("Volunteer events"))
    expect(member.page.locator("article.event-card-past", has_text="上周政策宣传")).to_be_visible()
    card = member.page.locator("article.event-card", has_text=TITLE)
    expect(card).to_contain_text("东区网格活动室")
    member.click(card.get_by_role("link", name=TITLE))
    expect(member.page.locator("h1")).to_have_text(TITLE)

    member.submit(zh("Sign up"))
    expect(member.message()).to_contain_text(zh("You are signed up for “%(title)s”. Thank you!") % {"title": TITLE})
    expect(member.page.locator(".event-signed-up")).to_have_text(zh("Signed up ✓"))
    volunteers = member.page.locator("dl.record dt", has_text=zh("Volunteers")).locator("xpath=following-sibling::dd[1]")
    expect(volunteers).to_contain_text(zh_n("%(counter)s signed up", "%(counter)s signed up", 1))
    expect(volunteers).to_contain_text(zh_n("%(counter)s place left", "%(counter)s places left", 7))

    # At the venue: the code from the poster, typed in small letters with a space.
    member.follow(zh("Check in at the venue"))
    code = event.checkin_code
    member.fill(zh("Enter the code shown at the venue"), f"{code[:3].lower()} {code[3:].lower()}")
    member.submit(zh("Check in"))
    expect(member.page.locator("h1")).to_have_text(zh("You are checked in"))
    expect(member.page.locator("main")).to_contain_text(TITLE)
    expect(member.page.locator("main .lead")).to_contain_text("2")  # the event's 2 hours

    member.follow(zh("My volunteer service"))
    expect(member.page.locator("main .list-group-item", has_text=TITLE)).to_be_visible()
    participation = Participation.objects.get(event=event)
    assert participation.member.user == member_user_a and participation.checked_in_at is not None
