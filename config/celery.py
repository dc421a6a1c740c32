"""The portal's Celery application: background jobs (exports, retention).

With CELERY_BROKER_URL set (redis://... or amqp://...), `.delay()` queues a task
and workers run it: `celery -A config worker -B` (`-B` runs the beat schedule of
settings.CELERY_BEAT_SCHEDULE inside that worker: start exactly one worker with it).
Unset, tasks run inline in the process that queues them (CELERY_TASK_ALWAYS_EAGER),
so `make run` needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
# Every CELERY_* setting of config/settings.py, without the prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
# The tasks.py module of each installed app.
app.autodiscover_tasks()
