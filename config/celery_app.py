import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("latentgeo")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The apps' task modules are imported once Django's apps are loaded (ConfigConfig.ready), in
# every process, not only when a worker or beat starts.
