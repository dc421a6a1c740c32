"""Red vanguard stations and micro party schools, and their content updates.

- Community staff and area admins (portal/permissions.py) manage the places.
- Grid workers see the places in their own grid cells and add content updates there.
- Everyone else gets 403; a place outside the user's scope answers 404.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, DetailView, UpdateView

from portal.access import get_for_user
from portal.permissions import action_required
from portal.uploads import serve_private_file

from .forms_stations import StationFilter, StationForm, StationUpdateForm
from .models import Station, StationUpdate
from .selectors_work import stations_for_user, stations_with_freshness
from .views import ScopedFormMixin, ScopedListView, ScopedMixin

STATION_RELATED = ("community", "grid_cell", "building")


def _get_station(request, pk):
    return get_for_user(stations_for_user(request.user), pk=pk)


def _get_update(request, pk):
    updates = StationUpdate.objects.filter(station__in=stations_for_user(request.user).values("pk"))
    return get_for_user(updates.select_related("station"), pk=pk)


class StationScopedMixin(ScopedMixin):
    model = Station
    required_action = "grid.view"

    def get_queryset(self):
        stations = stations_for_user(self.request.user).select_related(*STATION_RELATED)
        return stations_with_freshness(stations, self.today)

    @property
    def today(self):
        return timezone.localdate()


class StationList(StationScopedMixin, ScopedListView):
    filterset_class = StationFilter
    template_name = "grid/station_list.html"


class StationDetail(StationScopedMixin, DetailView):
    template_name = "grid/station_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["updates"] = self.object.updates.select_related("created_by")
        return context


class StationCreate(ScopedFormMixin, CreateView):
    model = Station
    required_action = "grid.manage"
    form_class = StationForm
    title = gettext_lazy("New station or micro party school")
    cancel_url = reverse_lazy("grid:station_list")

    def get_initial(self):
        return {"grid_cell": self.request.GET.get("grid_cell")}


class StationEdit(ScopedFormMixin, UpdateView):
    model = Station
    required_action = "grid.manage"
    form_class = StationForm
    title = gettext_lazy("Edit station or micro party school")


@action_required("grid.post_station_update")
def station_update_create(request, pk):
    """Record new content put up at a place (with an optional photo)."""
    station = _get_station(request, pk)
    form = StationUpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        form.instance.station = station
        form.instance.created_by = request.user
        form.save()
        messages.success(request, _("The new content is recorded."))
        return redirect(station)
    context = {
        "form": form,
        "station": station,
        "title": _("New content at %(name)s") % {"name": station.name},
        "cancel_url": station.get_absolute_url(),
    }
    return render(request, "grid/station_update_form.html", context)


@require_safe
@action_required("grid.post_station_update")
def station_update_photo(request, pk):
    """A content update's photo, never from a public media URL."""
    return serve_private_file(_get_update(request, pk).photo)


@require_POST
@action_required("grid.manage")
def station_update_delete(request, pk):
    """Remove a content update entered by mistake, with its photo."""
    update = _get_update(request, pk)
    station = update.station
    if update.photo:
        update.photo.delete(save=False)
    update.delete()
    messages.success(request, _("The content update “%(title)s” was removed.") % {"title": update.title})
    return redirect(station)
