"""What `make loadtest` serves under gunicorn: the platform (suzhou_sw.wsgi) and, under /__baseline__/, the
hand-written ceiling (bench/loadtest/baseline.py) — in the same worker processes, so both share the machine,
the workers and the database in the same run."""

from suzhou_sw.wsgi import application as platform

from . import baseline


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith("/__baseline__/"):
        return baseline.application(environ, start_response)
    return platform(environ, start_response)
