"""A micro-wish from the resident's phone to the resident's "thank you".

resident: makes the wish with a photo, gets a code, checks it with code + phone digits
staff:    sees it waiting, opens it (photo, whole phone number), publishes it
member:   claims it (own grid cell first), calls the resident, records the delivery
resident: checks again, confirms; the wall shows the fulfilled wish without personal data
"""

import re

from playwright.sync_api import expect

from e2e.browsing import jpeg_bytes, zh
from wishes.models import MicroWish

S = MicroWish.Status
TITLE = "给孙子买一个书包"
THANKS = "谢谢党员同志，孙子很喜欢！"


def test_a_wish_from_the_resident_to_fulfilled(browse, community_a, cell_a, building_a, staff_a, member_user_a):
    # The resident, on the home page, makes a wish.
    resident = browse.resident().goto("/")
    resident.follow(zh("Make a wish"))
    expect(resident.page.locator("h1")).to_have_text(zh("Make a micro-wish"))
    resident.fill(zh("Your name"), "王秀英")
    resident.page.locator("input[name=wisher_phone]").fill("137 0000 1111")
    resident.page.locator("select[name=grid_cell]").select_option(label=f"{cell_a}")
    resident.choose(zh(MicroWish.Category.STUDY.label))
    resident.fill(zh("Your wish, in a few words"), TITLE)
    resident.fill(zh("Tell us a little more (optional)"), "孙子今年上一年级，想要一个新书包。")
    resident.page.locator("input[name=photo]").set_input_files(
        {"name": "书包.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    resident.tick_consents()
    resident.submit(zh("Send my wish"))

    expect(resident.page.locator("h1")).to_have_text(zh("Thank you, your wish was sent"))
    code = resident.page.locator("#wish-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code), code
    wish = MicroWish.objects.get()
    assert wish.code_display == code and wish.photo and wish.wisher_phone == "13700001111"

    # ... and checks it with the code and the last 4 digits of the phone.
    resident.follow(zh("Check my wish"))
    resident.page.locator("input[name=code]").fill(code.lower())  # typed in small letters
    resident.page.locator("input[name=phone_last4]").fill("1111")
    resident.submit(zh("Check"))
    card = resident.page.locator("main .card").first
    expect(card).to_contain_text(TITLE)
    expect(card).to_contain_text(f"{zh('Status:')} {zh(S.SUBMITTED.label)}")
    expect(card).to_contain_text("王**")
    expect(card).not_to_contain_text("王秀英")

    # Staff see it waiting on the dashboard, open it and publish it.
    staff = browse.login(staff_a)
    waiting = staff.page.locator(".stat-card", has_text=zh("Wishes awaiting review"))
    expect(waiting.locator(".display-6")).to_have_text("1")
    staff.click(waiting)
    staff.follow(TITLE)
    expect(staff.page.locator("#tracking-code")).to_have_text(code)
    expect(staff.page.locator("main")).to_contain_text("13700001111")
    photo = staff.page.get_by_role("img", name=zh("Photo of the wish"))
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the wish's photo does not show"
    staff.submit(zh("Publish"))
    expect(staff.message()).to_contain_text(zh("The wish is published; members can claim it now."))
    expect(staff.page.locator("h1 .badge").first).to_have_text(zh(S.OPEN.label))

    # The member finds it among the wishes to claim, in their own grid cell, and claims it.
    member = browse.login(member_user_a)
    member.goto("/wishes/claim/")
    card = member.page.locator(".card", has_text=TITLE)
    expect(card).to_contain_text(zh("In your grid cell"))
    expect(card).to_contain_text("王**")
    member.click(card.get_by_role("button", name=zh("Claim")))
    expect(member.message()).to_contain_text(
        zh("Thank you! The wish is yours now: call the resident to arrange when you bring it.")
    )
    held = member.page.locator(".card", has_text=TITLE)
    expect(held.get_by_role("link", name="13700001111")).to_be_visible()  # the whole number, to call
    member.click(held.get_by_role("link", name=zh("Record delivery")))
    member.fill(zh("What was done"), "周六把书包送到了家里。")
    member.submit(zh("Delivered"))
    expect(member.message()).to_contain_text(
        zh("Thank you! The delivery is recorded; the resident is asked to confirm it.")
    )
    expect(member.page.locator(".card", has_text=TITLE)).to_contain_text(zh("waiting for the resident to confirm"))

    # The resident checks again (the page remembers the wish) and confirms it.
    resident.goto("/wishes/track/")
    expect(resident.page.locator("main")).to_contain_text(f"{zh('Status:')} {zh(S.DELIVERED.label)}")
    expect(resident.page.locator(".wish-timeline")).to_contain_text("周六把书包送到了家里。")
    resident.fill(zh("A thank-you note (optional)"), THANKS)
    resident.submit(zh("Yes, my wish came true"))
    expect(resident.message()).to_contain_text(zh("Thank you! Your wish is marked as fulfilled."))
    expect(resident.page.locator("main")).to_contain_text(f"{zh('Status:')} {zh(S.FULFILLED.label)}")

    # The wall shows it fulfilled, with the thanks, and nothing personal.
    resident.goto("/wishes/")
    card = resident.page.locator("article.wish-card", has_text=TITLE)
    expect(card).to_contain_text(zh(S.FULFILLED.label))
    expect(card).to_contain_text(THANKS)
    expect(card).to_contain_text("王**")
    expect(resident.page.locator("main")).not_to_contain_text("王秀英")
    expect(resident.page.locator("main")).not_to_contain_text("1111")
    wish.refresh_from_db()
    assert wish.status == S.FULFILLED and wish.claimed_by_member.user == member_user_a
