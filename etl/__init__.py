"""Write side of the Cities Mission Dashboard: extract, validate and load the warehouse."""
