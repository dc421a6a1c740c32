"""Each wish keeps its resident's key (portal.privacy.resident_key), a keyed hash of
the phone alone: "residents whose wishes were fulfilled" counts a person once in
every community, also after some of their wishes lost their personal data.

A wish whose phone was already replaced by a pseudonym gets the key of the
number whose pseudonym it is, when another wish of the same community still
holds that number; otherwise the pseudonym itself."""

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

PSEUDONYM_PREFIX = "x"


def key(phone):  # portal.privacy.resident_key, as of this migration
    return "k" + salted_hmac("portal.privacy.resident_key", phone, algorithm="sha256").hexdigest()[:16]


def pseudonym(community_id, phone):  # portal.privacy.phone_pseudonym
    digest = salted_hmac("portal.privacy.phone_pseudonym", f"{community_id}:{phone}", algorithm="sha256").hexdigest()
    return PSEUDONYM_PREFIX + digest[:10]


def fill_keys(apps, schema_editor):
    MicroWish = apps.get_model("wishes", "MicroWish")
    raw = MicroWish.objects.exclude(wisher_phone__startswith=PSEUDONYM_PREFIX)
    known = {
        (community_id, pseudonym(community_id, phone)): key(phone)
        for community_id, phone in raw.values_list("community_id", "wisher_phone").distinct()
    }
    wishes = list(MicroWish.objects.only("pk", "community_id", "wisher_phone"))
    for wish in wishes:
        phone = wish.wisher_phone
        if phone.startswith(PSEUDONYM_PREFIX):
            wish.wisher_key = known.get((wish.community_id, phone), phone)
        else:
            wish.wisher_key = key(phone)
    MicroWish.objects.bulk_update(wishes, ["wisher_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
                ('wishes', '0005_list_ordering_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmicrowish',
            name='wisher_key',
            field=models.CharField(default='', editable=False, help_text="A keyed hash of the resident's phone (portal.privacy.resident_key): reports count each resident once, in every community and after their personal data are removed.", max_length=20, verbose_name='resident key'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='microwish',
            name='wisher_key',
            field=models.CharField(default='', editable=False, help_text="A keyed hash of the resident's phone (portal.privacy.resident_key): reports count each resident once, in every community and after their personal data are removed.", max_length=20, verbose_name='resident key'),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='microwish',
            constraint=models.CheckConstraint(condition=models.Q(('wisher_key', ''), _negated=True), name='wish_has_wisher_key'),
        ),
    ]
