"""`python -m etl`: the warehouse command line."""

from etl.cli import main

main()
