"""gunicorn settings for the platform's web workers (`gunicorn -c suzhou_sw/gunicorn_conf.py suzhou_sw.wsgi`; the
load test uses it, issue 14).

Garbage collection: a worker holds a few hundred thousand long-lived objects after Django has loaded (modules,
URL patterns, templates, translations); every collection of the oldest generation walks all of them, and with
Python's default thresholds a page request triggers several collections (5–7 ms of a ~30 ms request measured
under load). Once the worker has loaded the application, `gc.freeze()` moves those objects out of the
collector's sight, and higher thresholds collect the request's young garbage less often. Reference cycles are
still collected: only less often, and never through the frozen start-up objects."""

import gc

# (allocations before a young collection, young collections before a middle one, middle before an old one)
GC_THRESHOLDS = (50_000, 20, 100)


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
