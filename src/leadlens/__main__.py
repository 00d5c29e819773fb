"""``python -m leadlens`` runs the command line."""

from .cli import app

app(prog_name="leadlens")
