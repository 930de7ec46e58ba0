"""Dash building blocks shared by the pages."""
