import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0006_role_grants"),
    ]

    operations = [
        migrations.AddField(
            model_name="community",
            name="wish_review_days",
            field=models.PositiveSmallIntegerField(default=3, help_text="A wish is responded to in time if published or turned down within this many days of its submission.", validators=[django.core.validators.MinValueValidator(1)], verbose_name="days to review a wish"),
        ),
        migrations.AddField(
            model_name="community",
            name="complex_answer_days",
            field=models.PositiveSmallIntegerField(default=15, help_text="An appeal marked complex may take this long (Beijing 12345 practice: 15 days).", validators=[django.core.validators.MinValueValidator(1)], verbose_name="days to answer a complex appeal"),
        ),
        migrations.AddField(
            model_name="community",
            name="respond_hours",
            field=models.PositiveSmallIntegerField(default=24, help_text="An appeal is responded to in time if assigned or answered within this many hours of its receipt.", validators=[django.core.validators.MinValueValidator(1)], verbose_name="hours to respond to an appeal"),
        ),
        migrations.AddField(
            model_name="community",
            name="urgent_respond_hours",
            field=models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1)], verbose_name="hours to respond to an urgent appeal"),
        ),
    ]
