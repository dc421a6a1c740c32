"""Teams keep the day from which they count (active_since) and the day they
stopped (inactive_since): reports count what was active on a period's last day
(portal.activity). Existing teams keep the figures they gave (teams keep no
history): an active team has no start day (counted in every period, as before);
an inactive one started and stopped on the day it was entered (in no period)."""

import django.utils.timezone
from django.utils import timezone
from django.db import migrations, models


def fill_dates(apps, schema_editor):
    for team in apps.get_model("volunteers", "VolunteerTeam").objects.all():
        entered = timezone.localtime(team.created_at).date()
        team.active_since = None if team.is_active else entered
        team.inactive_since = None if team.is_active else entered
        team.save(update_fields=["active_since", "inactive_since"])


class Migration(migrations.Migration):

    dependencies = [
                ('volunteers', '0006_calendar_ends_at_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='volunteerteam',
            name='active_since',
            field=models.DateField(blank=True, default=django.utils.timezone.localdate, help_text='The team counts in reports from this day; blank: in every period until it became inactive.', null=True, verbose_name='founded on'),
        ),
        migrations.AddField(
            model_name='volunteerteam',
            name='inactive_since',
            field=models.DateField(blank=True, help_text='The first day it no longer counts. Filled in with today when "active" is unticked; reports for earlier periods still count it.', null=True, verbose_name='inactive since'),
        ),
        migrations.RunPython(fill_dates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='volunteerteam',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('inactive_since__isnull', True), ('is_active', True)), models.Q(('inactive_since__isnull', False), ('is_active', False)), _connector='OR'), name='team_inactive_since_when_inactive'),
        ),
    ]
