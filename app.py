"""The Dash app shell: pages from pages/, navbar and footer from ui/; `server` is what gunicorn serves."""

from __future__ import annotations

import os

import dash

from ui import jobs, shell
from ui import server as serving

# Long work (briefs) runs as background callbacks: on Celery workers through Redis when MISSION_REDIS_URL is set
# (several hosts), else in processes beside the app with a disk cache (one host). See ui/jobs.py.
background = jobs.manager()
# What `make worker` runs (`celery --app app:celery_app worker`): the same callbacks, the same settings.
celery_app = jobs.celery_of(background)

app = dash.Dash(
    __name__,
    use_pages=True,
    background_callback_manager=background,
    title="Cities Mission Dashboard",
    serve_locally=True,
    suppress_callback_exceptions=True,
)
app.layout = shell.layout
server = app.server
# Around Dash's own routes: request pinning, errors, security headers, compression, cache lifetimes, the page head.
serving.install(app)


if __name__ == "__main__":  # development server; `python app.py` (dev tools register hooks when it starts)
    debug = os.environ.get("MISSION_DEBUG", "").lower() in {"1", "true", "yes"}
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8050")), debug=debug, dev_tools_ui=debug)
else:
    # Dash finishes its setup (the pages' callbacks, scripts) in the first request but marks it finished before it
    # is: with threaded workers a request arriving meanwhile would get half the callbacks. Finish it now, before
    # any worker serves (after every hook above: Flask takes no hook once it has answered a request).
    server.test_client().get("/_dash-dependencies")
