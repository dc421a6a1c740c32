"""Its links to communities now point at portal.Community (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_community_moves_here'),
        ('wishes', '0007_date_range_validators'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalmicrowish',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.community', verbose_name='community'),
                ),
                migrations.AlterField(
                    model_name='microwish',
                    name='community',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='wishes', to='portal.community', verbose_name='community'),
                ),
            ],
        ),
    ]
