"""Feedback sheets to employer units (报到反馈单). Placeholder until the pages land."""

from django.http import Http404


def feedback_list(request):
    raise Http404


def feedback_all_docx(request):
    raise Http404


def feedback_unit(request, pk):
    raise Http404


def feedback_unit_docx(request, pk):
    raise Http404
