"""Communities move from the grid app to the foundation (portal). The table keeps its
name (grid_community) and every row; only Django's state changes, and the content
type is renamed so that permissions and admin history stay with it."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="portal", model="community").exists():
        ContentType.objects.using(db).filter(app_label="grid", model="community").update(app_label="portal")


def rename_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="grid", model="community").exists():
        ContentType.objects.using(db).filter(app_label="portal", model="community").update(app_label="grid")


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0003_date_range_validators'),
        ('grid', '0010_date_range_validators'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Community',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=50, verbose_name='name')),
                        ('code', models.SlugField(help_text='Short Latin code, e.g. shahejie.', max_length=30, unique=True, verbose_name='code')),
                        ('town', models.CharField(max_length=50, verbose_name='town / street')),
                        ('county', models.CharField(max_length=50, verbose_name='county')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='office address')),
                        ('phone', models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator('^[0-9][0-9-]{6,19}$', 'Enter a phone number: digits, optionally with a dash.')], verbose_name='office phone')),
                        ('wish_claim_days', models.PositiveSmallIntegerField(default=7, help_text='A published wish nobody claimed for longer is overdue.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='days for a wish to be claimed')),
                        ('wish_delivery_days', models.PositiveSmallIntegerField(default=14, help_text='A claimed wish not delivered for longer is overdue.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='days for a claimed wish to be delivered')),
                        ('appeal_answer_days', models.PositiveSmallIntegerField(default=7, help_text='An appeal without an answer for longer is overdue.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='days to answer an appeal')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ],
                    options={
                        'verbose_name': 'community',
                        'verbose_name_plural': 'communities',
                        'db_table': 'grid_community',
                        'ordering': ['county', 'town', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('county', 'town', 'name'), name='community_unique_name')],
                    },
                ),
                migrations.AlterField(
                    model_name='user',
                    name='community',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='portal.community', verbose_name='community'),
                ),
            ],
        ),
        migrations.RunPython(rename_content_type, rename_content_type_back),
    ]
