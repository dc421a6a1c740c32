"""The work summary (工作总结). Placeholder until the page lands."""

from django.http import Http404


def work_summary(request):
    raise Http404
