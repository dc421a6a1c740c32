"""The portal's benchmark (`python manage.py bench`, or `make bench`).

- `pages`: every list, detail, dashboard and form page of the portal, found in the
  URL configuration, requested in-process (Django's test client) as a staff user,
  an area admin and a member: SQL queries, first / median / 95th-percentile time,
  response size.
- `load`: gunicorn (deploy/gunicorn.conf.py, 2 workers, DEBUG off) driven by wrk
  for a few seconds per page: requests per second, as a fraction of /healthz's.
- `transfer`: the bytes a phone downloads for the resident's wish form, gzipped.

Results and how they were made: bench/RESULTS.md.
"""
