import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suzhou_sw.settings")

app = Celery("suzhou_sw")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="suzhou_sw.ping")
def ping() -> str:
    """Round-trip check used by the end-to-end broker test and health probes."""
    return "pong"
