"""Its links to communities now point at portal.Community (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_community_moves_here'),
        ('volunteers', '0008_date_range_validators'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='eventkind',
                    name='community',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='event_kinds', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='historicalvolunteerevent',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='pointsentry',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='points_entries', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='pointsrule',
                    name='community',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='points_rule', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='serviceproject',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='specialgroupcase',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='special_cases', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='volunteerevent',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='volunteerteam',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teams', to='portal.community', verbose_name='community'),
                ),
            ],
        ),
    ]
