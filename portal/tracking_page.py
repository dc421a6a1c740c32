"""The public page where a resident follows their request (a micro-wish, an appeal)
with its tracking code and the last 4 digits of their phone, shared by the apps.

A look-up is a POST (codes stay out of logs and browser history); the record found is
kept in the session for a while and shown on GET. Every try counts against the
address's budget, and wrong digits against the code's (portal/tracking.py). The
resident's steps on the page (confirm a wish, reopen or close an appeal, rate the
outcome: templates/portal/_request_rating.html) act only on
the record this browser looked up, and only if the form names its code, so that a
stale tab cannot act on another.

An app describes its page with a subclass (what to look up, which template, the
words) and routes its views to `track` and `act`.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare

from portal import tracking
from portal.forms import RatingForm
from portal.tracking import TrackingForm, normalize_code, typed_code
from portal.views_helpers import perform


class TrackingPage:
    model = None  # a portal.resident_requests.ResidentRequest
    related: tuple = ()  # select_related of the record shown
    session_key = ""  # the session keeps the record's pk here, and when under `<key>_at`
    seconds_setting = ""  # the setting of how long a look-up lasts (30 minutes if unset)
    template_name = ""
    context_object_name = ""  # the record's name in the template
    form_class = TrackingForm
    url_name = ""  # the page itself
    not_found = ""  # the same words whether the code or the digits are wrong
    look_up_again = ""  # for a step from a stale tab
    rate_url_name = ""  # where the resident's rating is posted (`act` with RatingForm)

    def context(self, record, **forms) -> dict:
        """What the template shows of the record found, and its step forms."""
        return {}

    # The record this browser looked up -------------------------------------------------

    def tracked(self, request):
        """The record this browser looked up lately, or None."""
        pk = request.session.get(self.session_key)
        looked_up_at = request.session.get(self.session_key + "_at") or 0
        if not pk:
            return None
        if time.time() - looked_up_at > getattr(settings, self.seconds_setting, 30 * 60):
            self.forget(request)
            return None
        return self.model.objects.select_related(*self.related).filter(pk=pk).first()

    def remember(self, request, record):
        request.session[self.session_key] = record.pk
        request.session[self.session_key + "_at"] = time.time()

    def forget(self, request):
        request.session.pop(self.session_key, None)
        request.session.pop(self.session_key + "_at", None)

    def lookup(self, code, last4):
        record = self.model.objects.filter(code=code, anonymised_at__isnull=True).only("pk", self.model.phone_field).first()
        if record is not None and constant_time_compare(record.requester_phone[-4:], last4):
            return record
        return None

    # Pages ------------------------------------------------------------------------------

    def render(self, request, form, record=None, status=200, **forms):
        context = {"form": form, self.context_object_name: record, "record": record}
        if record is not None:
            rating_form = forms.pop("rating_form", None) or (RatingForm() if record.is_rateable else None)
            context.update(rating_form=rating_form, rate_url_name=self.rate_url_name)
            context.update(phone_hint="****" + record.requester_phone[-4:], **self.context(record, **forms))
        return render(request, self.template_name, context, status=status)

    def refuse(self, request, refusal):
        """Too many look-ups: the form with the reason, the code typed kept."""
        form = self.form_class(initial=typed_code(request))
        return render(request, self.template_name, {"form": form, "refusal": refusal}, status=429)

    def track(self, request):
        """The page: GET shows the record looked up; POST looks one up, or forgets it."""
        if request.method == "GET":
            # A code in the URL looks nothing up, but counts as a try like any other.
            if tracking.names_a_code(request.GET) and (refusal := tracking.lookup_refusal(request)):
                return self.refuse(request, refusal)
            return self.render(request, self.form_class(), self.tracked(request))

        if "forget" in request.POST:
            self.forget(request)
            return redirect(self.url_name)

        if refusal := tracking.lookup_refusal(request):
            return self.refuse(request, refusal)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render(request, form)
        code = form.cleaned_data["code"]
        if refusal := tracking.code_refusal(code):
            return self.refuse(request, refusal)
        record = self.lookup(code, form.cleaned_data["phone_last4"])
        if record is None:
            tracking.lookup_failed(code)
            form.add_error(None, str(self.not_found))  # in the language of this request
            return self.render(request, form)
        self.remember(request, record)
        return redirect(self.url_name)

    def act(self, request, step, success: str, form_class=None, form_name=""):
        """A resident's step on the record looked up: `step(record, cleaned_data)` runs
        the app's service; a form with errors shows the page again with it (as
        `form_name`)."""
        if refusal := tracking.lookup_refusal(request):
            return self.refuse(request, refusal)
        record = self.tracked(request)
        if record is None or not constant_time_compare(record.code, normalize_code(request.POST.get("code", ""))):
            messages.error(request, str(self.look_up_again))
            return redirect(self.url_name)
        data = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                return self.render(request, self.form_class(), record, **{form_name: form})
            data = form.cleaned_data
        perform(request, lambda: step(record, data), success)
        return redirect(self.url_name)
