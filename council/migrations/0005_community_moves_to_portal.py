"""Its links to communities now point at portal.Community (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('council', '0004_date_range_validators'),
        ('portal', '0004_community_moves_here'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicaltopic',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='propertycompany',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='property_companies', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='proxyservice',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proxy_services', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='topic',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='topics', to='portal.community', verbose_name='community'),
                ),
            ],
        ),
    ]
