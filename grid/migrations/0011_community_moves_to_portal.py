"""Communities now live in the foundation (portal.Community, table grid_community):
the grid app's state lets go of the model; the database is not touched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('council', '0005_community_moves_to_portal'),
        ('grid', '0010_date_range_validators'),
        ('portal', '0004_community_moves_here'),
        ('volunteers', '0009_community_moves_to_portal'),
        ('wishes', '0008_community_moves_to_portal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='partymember',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='historicalpartymember',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='appeal',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appeals', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='visitlog',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='historicalappeal',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='gridcell',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='grid_cells', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='station',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stations', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='historicalcobuildingunit',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='cobuildingunit',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='units', to='portal.community', verbose_name='community'),
                ),
                migrations.DeleteModel(
                    name='Community',
                ),
            ],
        ),
    ]
