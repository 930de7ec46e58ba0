"""Read side of the Cities Mission Dashboard: queries, domain maths, figures and exports (no Dash)."""
