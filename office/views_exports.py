"""Exports prepared in the background (office.jobs): ask for one, see the list of
one's own exports, download a ready one from any app host."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import record_export
from office import jobs
from office.exports import XLSX_TYPE
from office.models import ExportJob
from office.word import DOCX_TYPE
from portal.permissions import action_required
from portal.scope import report_scope
from portal.uploads import serve_private_file
from portal.views_helpers import form_errors, paginate

CONTENT_TYPES = {ExportJob.Kind.FIGURES: XLSX_TYPE, ExportJob.Kind.FEEDBACK: DOCX_TYPE}


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("export"), choices=ExportJob.Kind.choices)


@action_required("office.reports")
def export_list(request):
    """The user's own exports, newest first; the page reloads itself while one is being prepared."""
    queryset = ExportJob.objects.filter(requested_by=request.user).select_related("community", "area")
    page = paginate(request, queryset)
    waiting = any(job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING) for job in page)
    context = {"page_obj": page, "jobs": page.object_list, "waiting": waiting, "keep_days": settings.EXPORT_KEEP_DAYS}
    # ?kind=figures&from=...&to=...: the dashboard's link; confirm with a POST.
    asked = ExportRequestForm(request.GET) if "kind" in request.GET else None
    if asked is not None and asked.is_valid():
        kind = asked.cleaned_data["kind"]
        scope = report_scope(request)
        if scope.error:
            messages.warning(request, scope.error)
        context["ask"] = {"kind": kind, "label": ExportJob.Kind(kind).label, "scope": scope}
    return render(request, "office/export_list.html", context)


@require_POST
@action_required("office.reports")
def export_start(request):
    """Queue an export of the scope in the query string (the dashboard's period and community)."""
    scope = report_scope(request)
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("office:export_list")
    try:
        job = jobs.start_export(request.user, form.cleaned_data["kind"], scope)
    except jobs.TooManyPending:
        messages.error(
            request, _("You already have %(count)d exports being prepared. Wait until they are ready.") % {"count": jobs.MAX_PENDING}
        )
        return redirect("office:export_list")
    messages.success(request, _("“%(export)s” is being prepared. It will be ready for download here.") % {"export": job})
    return redirect("office:export_list")


@action_required("office.reports")
def export_download(request, pk):
    """A ready export, for the person who asked for it only (another's: 404)."""
    job = get_object_or_404(ExportJob, pk=pk, requested_by=request.user, status=ExportJob.Status.DONE)
    record_export(request, job.get_kind_display(), scope=jobs.scope_of(job))
    return serve_private_file(job.file, filename=job.filename, content_type=CONTENT_TYPES[job.kind], as_attachment=True)
