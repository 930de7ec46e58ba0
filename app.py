"""The Dash app shell: pages from pages/, navbar and footer from ui/; `server` is what gunicorn serves."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dash
import diskcache
import multiprocess

from ui import server as serving
from ui import shell

# Long work (briefs) runs as background callbacks: jobs and results live in a disk cache that every gunicorn
# worker shares. MISSION_CACHE_DIR names it; one host only (several hosts need Celery + Redis).
CACHE_DIR = Path(os.environ.get("MISSION_CACHE_DIR") or Path(tempfile.gettempdir()) / "cities-mission-cache")
# Jobs start with "spawn", not "fork": polars and DuckDB are not fork-safe (a forked job crashes).
multiprocess.set_start_method("spawn", force=True)
background = dash.DiskcacheManager(diskcache.Cache(str(CACHE_DIR)))

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
