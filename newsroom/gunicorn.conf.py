"""gunicorn settings, read with ``gunicorn -c newsroom/gunicorn.conf.py``.

Access and error logs go to stdout and stderr ("-"), beside Django's JSON
lines, so that the process manager collects everything in one place. Bind
address and worker count are given on the command line (README).
"""

accesslog = "-"
errorlog = "-"
loglevel = "info"
# A request slower than this is stopped, and gunicorn logs the worker's
# traceback to stderr.
timeout = 30
