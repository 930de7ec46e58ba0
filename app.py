"""The Dash app shell: pages from pages/, navbar and footer from ui/; `server` is what gunicorn serves."""

from __future__ import annotations

import os

import dash

from ui import shell

app = dash.Dash(
    __name__,
    use_pages=True,
    title="Cities Mission Dashboard",
    serve_locally=True,
    suppress_callback_exceptions=True,
)
app.layout = shell.layout
server = app.server

if __name__ == "__main__":
    debug = os.environ.get("MISSION_DEBUG", "").lower() in {"1", "true", "yes"}
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8050")), debug=debug, dev_tools_ui=debug)
