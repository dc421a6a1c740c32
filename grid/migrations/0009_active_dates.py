"""Units, members and stations keep the day they stopped counting (inactive_since),
stations the day from which they count (active_since): reports count what was
active on a period's last day (portal.activity).

Existing records get their dates from what is known, so that no report of an
existing database changes but for inactive units and members, which the reports
left out of every period before and now count until they became inactive:
- an inactive unit or member: the day of its last switch to inactive in its
  history (never active: its start date; no history: the day of this migration);
- an active station: no start day (counted in every period, as before);
- an inactive station (stations keep no history): started and stopped on the day
  it was entered, so that it counts in no period, as before."""

import django.utils.timezone
from django.utils import timezone
from django.conf import settings
from django.db import migrations, models


def inactive_since_from_history(model, history, start_field):
    today = timezone.localdate()
    for record in model.objects.filter(is_active=False):
        rows = list(history.objects.filter(id=record.pk).order_by("history_date", "history_id").values("is_active", "history_date"))
        start = getattr(record, start_field) or timezone.localtime(record.created_at).date()
        if not rows:
            since = today
        elif not any(row["is_active"] for row in rows):
            since = start
        else:
            last_active = max(i for i, row in enumerate(rows) if row["is_active"])
            following = rows[last_active + 1:]
            since = timezone.localtime(following[0]["history_date"]).date() if following else today
        record.inactive_since = max(since, start)
        record.save(update_fields=["inactive_since"])


def fill_dates(apps, schema_editor):
    for name, start in (("CoBuildingUnit", "agreement_signed_on"), ("PartyMember", "registered_on")):
        inactive_since_from_history(apps.get_model("grid", name), apps.get_model("grid", "Historical" + name), start)
    Station = apps.get_model("grid", "Station")
    for station in Station.objects.all():
        entered = timezone.localtime(station.created_at).date()
        station.active_since = None if station.is_active else entered
        station.inactive_since = None if station.is_active else entered
        station.save(update_fields=["active_since", "inactive_since"])


class Migration(migrations.Migration):

    dependencies = [
        ('grid', '0008_list_ordering_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='cobuildingunit',
            name='inactive_since',
            field=models.DateField(blank=True, help_text='The first day it no longer counts. Filled in with today when "active" is unticked; reports for earlier periods still count it.', null=True, verbose_name='inactive since'),
        ),
        migrations.AddField(
            model_name='historicalcobuildingunit',
            name='inactive_since',
            field=models.DateField(blank=True, help_text='The first day it no longer counts. Filled in with today when "active" is unticked; reports for earlier periods still count it.', null=True, verbose_name='inactive since'),
        ),
        migrations.AddField(
            model_name='historicalpartymember',
            name='inactive_since',
            field=models.DateField(blank=True, help_text='The first day it no longer counts. Filled in with today when "active" is unticked; reports for earlier periods still count it.', null=True, verbose_name='inactive since'),
        ),
        migrations.AddField(
            model_name='partymember',
            name='inactive_since',
            field=models.DateField(blank=True, help_text='The first day it no longer counts. Filled in with today when "active" is unticked; reports for earlier periods still count it.', null=True, verbose_name='inactive since'),
        ),
        migrations.AddField(
            model_name='station',
            name='active_since',
            field=models.DateField(blank=True, default=django.utils.timezone.localdate, help_text='The place counts in reports from this day; blank: in every period until it became inactive.', null=True, verbose_name='open since'),
        ),
        migrations.AddField(
            model_name='station',
            name='inactive_since',
            field=models.DateField(blank=True, help_text='The first day it no longer counts. Filled in with today when "active" is unticked; reports for earlier periods still count it.', null=True, verbose_name='inactive since'),
        ),
        migrations.RunPython(fill_dates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='cobuildingunit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('inactive_since__isnull', True), ('is_active', True)), models.Q(('inactive_since__isnull', False), ('is_active', False)), _connector='OR'), name='unit_inactive_since_when_inactive'),
        ),
        migrations.AddConstraint(
            model_name='partymember',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('inactive_since__isnull', True), ('is_active', True)), models.Q(('inactive_since__isnull', False), ('is_active', False)), _connector='OR'), name='member_inactive_since_when_inactive'),
        ),
        migrations.AddConstraint(
            model_name='station',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('inactive_since__isnull', True), ('is_active', True)), models.Q(('inactive_since__isnull', False), ('is_active', False)), _connector='OR'), name='station_inactive_since_when_inactive'),
        ),
    ]
