"""The work summary (工作总结): the period's figures as an editable text, the
tables behind them, printable from the page and downloadable as Word."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from audit.services import record_export
from office.reports import breakdowns, scope_figures
from office.summary import (
    TEXT_MAX_LENGTH,
    notable_events,
    settled_topics,
    split_paragraphs,
    summary_document,
    summary_paragraphs,
    summary_parts,
    summary_tables,
    summary_title,
)
from office.word import docx_response
from portal.figures_cache import cached
from portal.models import Community
from portal.permissions import action_required
from portal.scope import report_scope


class SummaryTextForm(forms.Form):
    """Only the wording is edited: the figures and tables always come from the records."""

    text = forms.CharField(
        label=_("Text of the summary"),
        help_text=_("Edit freely; a blank line starts a new paragraph. The tables below always show the recorded figures."),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={
            "required": _("The summary needs some text: write it here, or reload the page to start again from the figures."),
            "max_length": _("The text is too long: at most %(limit_value)d characters (it has %(show_value)d)."),
        },
    )


def _table_records(scope):
    """The records behind the summary's tables (cached like the figures: the notable
    events and the teams read a year's attendances)."""
    parts = {
        name: list(records)
        for name, records in breakdowns(
            scope.start, scope.end, community_ids=scope.community_ids, parts=summary_parts(scope)
        ).items()
    }
    return parts, list(notable_events(scope)), list(settled_topics(scope))


@action_required("office.reports")
@require_http_methods(["GET", "POST"])
def work_summary(request):
    """GET: the summary of the period written from the figures. POST (the same
    scope in the query string): preview the edited text, or download it as Word.
    Only the wording comes from the form; the figures come from the records (cached
    like the dashboard's, renewed by any change)."""
    scope = report_scope(request)
    # The dashboard's cached figures and rows (renewed by any change made in the portal).
    values, rows = scope_figures(scope)
    paragraphs = summary_paragraphs(values, scope)
    download = False
    if request.method == "POST":
        form = SummaryTextForm(request.POST)
        if form.is_valid():
            paragraphs = split_paragraphs(form.cleaned_data["text"])
            download = request.POST.get("action") == "docx"
    else:
        form = SummaryTextForm(initial={"text": "\n\n".join(paragraphs)})

    parts, events, topics = cached("summary", lambda: _table_records(scope), *scope.cache_key)
    tables = summary_tables(values, parts, events, topics, scope, rows)
    title = summary_title(scope)
    if download:
        document = summary_document(title, paragraphs, tables)
        record_export(request, _("Work summary (Word)"), scope=scope)
        return docx_response(document, f"work-summary-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.docx")
    context = {
        "scope": scope,
        "values": values,
        "form": form,
        "title": title,
        "paragraphs": paragraphs,
        "tables": tables,
        # The communities to choose from: those of the area opened (a city admin's whole
        # city is 1,000 options), all of the user's otherwise.
        "communities": Community.objects.for_user(request.user).in_area(scope.chosen_area).order_by("name")
        if request.user.is_area_admin
        else None,
    }
    return render(request, "office/summary.html", context)
