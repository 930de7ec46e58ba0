"""`python -m mission`: the read side's command line (mission/cli.py)."""

from mission.cli import app

app(prog_name="python -m mission")
