from django.conf import settings
from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from audit.services import record_import, record_personal_data_view
from portal.access import get_for_user
from portal.models import Community
from portal.permissions import ActionRequiredMixin, action_required
from portal.views_helpers import (
    chosen_community,
    perform,
    safe_next,
    with_community_picker,
)

from . import filters, forms, importers, services
from .models import Building, CoBuildingUnit, GridCell, PartyMember, VisitLog
from .selectors import grid_cells_with_counts, units_with_counts
from .selectors_work import stations_for_user, stations_with_freshness


class ScopedMixin(ActionRequiredMixin):
    """Every object is looked up in the user's scoped queryset: outside it, 404."""

    model = None
    select_related: tuple = ()

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user).select_related(*self.select_related)


class ScopedListView(ScopedMixin, FilterView):
    paginate_by = settings.PAGE_SIZE
    strict = False


class ScopedFormMixin(SuccessMessageMixin, ScopedMixin):
    template_name = "grid/form.html"
    success_message = gettext_lazy("Saved.")
    title = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_url"] = self.object.get_absolute_url() if getattr(self, "object", None) else self.cancel_url
        return context


# Communities -----------------------------------------------------------------


class CommunityList(ScopedListView):
    model = Community
    required_action = "grid.manage"
    filterset_class = filters.CommunityFilter
    template_name = "grid/community_list.html"


class CommunityDetail(ScopedMixin, DetailView):
    model = Community
    required_action = "grid.manage"
    template_name = "grid/community_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        community = self.object
        context["summary"] = community.members.reporting_summary()
        context["grid_cells"] = grid_cells_with_counts(self.request.user).filter(community=community)
        context["unit_count"] = community.units.filter(is_active=True).count()
        return context


class CommunityCreate(ScopedFormMixin, CreateView):
    model = Community
    form_class = forms.CommunityForm
    required_action = "grid.add_community"
    title = gettext_lazy("New community")
    cancel_url = "/grid/communities/"


class CommunityUpdate(ScopedFormMixin, UpdateView):
    model = Community
    required_action = "grid.manage"
    form_class = forms.CommunityForm
    title = gettext_lazy("Edit community")


# Grid cells -------------------------------------------------------------------


class GridCellList(ScopedListView):
    model = GridCell
    required_action = "grid.view"
    filterset_class = filters.GridCellFilter
    template_name = "grid/gridcell_list.html"

    def get_queryset(self):
        return grid_cells_with_counts(self.request.user)


class GridCellDetail(ScopedMixin, DetailView):
    model = GridCell
    required_action = "grid.view"
    select_related = ("community", "leader")
    template_name = "grid/gridcell_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cell = self.object
        context["buildings"] = cell.buildings.all()
        context["workers"] = cell.workers.all()
        context["summary"] = cell.members.reporting_summary()
        # Grid work of the cell: recent visits, open follow-ups, stations and their freshness.
        visits = VisitLog.objects.for_user(self.request.user).filter(grid_cell=cell).select_related("building", "visitor")
        context["recent_visits"] = visits[:10]
        context["open_follow_ups"] = visits.filter(follow_up_needed=True, follow_up_done_on__isnull=True)[:20]
        context["stations"] = stations_with_freshness(
            stations_for_user(self.request.user).filter(grid_cell=cell).select_related("building")
        )
        return context


class GridCellCreate(ScopedFormMixin, CreateView):
    model = GridCell
    required_action = "grid.manage"
    form_class = forms.GridCellForm
    title = gettext_lazy("New grid cell")
    cancel_url = "/grid/cells/"


class GridCellUpdate(ScopedFormMixin, UpdateView):
    model = GridCell
    required_action = "grid.manage"
    form_class = forms.GridCellForm
    title = gettext_lazy("Edit grid cell")


# Buildings --------------------------------------------------------------------


class BuildingList(ScopedListView):
    model = Building
    required_action = "grid.view"
    select_related = ("grid_cell", "grid_cell__community")
    filterset_class = filters.BuildingFilter
    template_name = "grid/building_list.html"


class BuildingDetail(ScopedMixin, DetailView):
    model = Building
    required_action = "grid.view"
    select_related = ("grid_cell", "grid_cell__community")
    template_name = "grid/building_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = (
            PartyMember.objects.for_user(self.request.user)
            .filter(building=self.object)
            .select_related("employer_unit", "grid_cell")
        )
        return context


class BuildingFormMixin(ScopedFormMixin):
    """An area admin first chooses the community whose grid cells the form offers."""
    required_action = "grid.manage"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": chosen_community(self.request)}

    def get_context_data(self, **kwargs):
        return with_community_picker(self.request, super().get_context_data(**kwargs))


class BuildingCreate(BuildingFormMixin, CreateView):
    model = Building
    form_class = forms.BuildingForm
    title = gettext_lazy("New building")
    cancel_url = "/grid/buildings/"

    def get_initial(self):
        return {"grid_cell": self.request.GET.get("grid_cell")}


class BuildingUpdate(BuildingFormMixin, UpdateView):
    model = Building
    form_class = forms.BuildingForm
    title = gettext_lazy("Edit building")


# Co-building units -----------------------------------------------------------


class UnitList(ScopedListView):
    model = CoBuildingUnit
    required_action = "grid.manage"
    filterset_class = filters.UnitFilter
    template_name = "grid/unit_list.html"

    def get_queryset(self):
        return units_with_counts(self.request.user).prefetch_related("resource_tags")


class UnitDetail(ScopedMixin, DetailView):
    model = CoBuildingUnit
    required_action = "grid.view_unit"
    select_related = ("community",)
    template_name = "grid/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = self.object.members.filter(is_active=True).select_related("grid_cell")
        context["members"] = members
        context["summary"] = self.object.members.reporting_summary()
        context["tags"] = self.object.resource_tags.all()
        return context


class UnitCreate(ScopedFormMixin, CreateView):
    model = CoBuildingUnit
    required_action = "grid.manage"
    form_class = forms.UnitForm
    title = gettext_lazy("New co-building unit")
    cancel_url = "/grid/units/"


class UnitUpdate(ScopedFormMixin, UpdateView):
    model = CoBuildingUnit
    required_action = "grid.manage"
    form_class = forms.UnitForm
    title = gettext_lazy("Edit co-building unit")


# In-service party members -------------------------------------------------------


class MemberList(ScopedListView):
    model = PartyMember
    required_action = "grid.view"
    select_related = ("community", "grid_cell", "building", "employer_unit")
    filterset_class = filters.MemberFilter
    template_name = "grid/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = self.object_list.reporting_summary()
        return context


class MemberDetail(ScopedMixin, DetailView):
    model = PartyMember
    required_action = "grid.view"
    select_related = ("community", "grid_cell", "building", "employer_unit", "reported_confirmed_by", "user")
    template_name = "grid/member_detail.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_personal_data_view(request, self.object, ["phone"])  # the page shows the whole number
        return response


class MemberCreate(ScopedFormMixin, CreateView):
    model = PartyMember
    required_action = "grid.manage"
    form_class = forms.MemberForm
    title = gettext_lazy("New party member")
    cancel_url = "/grid/members/"


class MemberUpdate(ScopedFormMixin, UpdateView):
    model = PartyMember
    required_action = "grid.manage"
    form_class = forms.MemberForm
    title = gettext_lazy("Edit party member")


@action_required("grid.own_registration")
def member_me(request):
    member = (
        PartyMember.objects.for_user(request.user)
        .select_related("community", "grid_cell", "building", "employer_unit")
        .first()
    )
    return render(request, "grid/member_me.html", {"member": member})


@require_POST
@action_required("grid.manage")
def member_confirm(request, pk):
    member = get_for_user(PartyMember.objects.for_user(request.user), pk=pk)
    perform(
        request,
        lambda: services.member_confirm_report(member=member, by=request.user),
        _("%(name)s's report is confirmed.") % {"name": member.name},
    )
    return redirect(safe_next(request, fallback=member.get_absolute_url()))


@require_POST
@action_required("grid.manage")
def member_undo_report(request, pk):
    member = get_for_user(PartyMember.objects.for_user(request.user), pk=pk)
    services.member_undo_report(member=member, by=request.user)
    messages.success(request, _("The confirmation was withdrawn; %(name)s is registered, not reported.") % {"name": member.name})
    return redirect(member.get_absolute_url())


def member_register(request, code):
    """Public: an in-service member registers with the community where they live."""
    community = get_object_or_404(Community, code=code)
    form = forms.MemberRegistrationForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("grid:member_register_done", code=community.code)
    return render(request, "grid/member_register.html", {"form": form, "community": community})


def member_register_done(request, code):
    community = get_object_or_404(Community, code=code)
    return render(request, "grid/member_register_done.html", {"community": community})


# Excel import -------------------------------------------------------------------


@action_required("grid.manage")
def import_roster(request, kind):
    importer = importers.IMPORTERS[kind]
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importer.run(form.target_community(), form.cleaned_data["file"], by=request.user)
        record_import(request, importer.title, form.target_community(), form.cleaned_data["file"], result)
        if result.ok:
            messages.success(
                request,
                _("Import finished: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect(reverse("grid:unit_list" if kind == "units" else "grid:member_list"))
    return render(
        request, "grid/import.html", {"form": form, "result": result, "kind": kind, "importer": importer}
    )


@action_required("grid.manage")
def import_template(request, kind):
    importer = importers.IMPORTERS[kind]
    response = HttpResponse(
        importer.template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
