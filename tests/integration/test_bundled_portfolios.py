"""The bundled portfolios as the read side sums them: what a contract says must not be added up is not."""

from __future__ import annotations

import polars as pl

from mission import portfolio


def test_aachens_sheet_figures_are_kept_but_never_added_up_as_its_contract_says(bundled):
    actions = portfolio.all_actions(portfolio.DEFAULT_YEARS_OF_EFFECT, True)
    aachen = actions.filter(pl.col("city_id") == "aachen")
    stated = aachen.filter(pl.col("annual_tco2e").is_not_null())
    assert stated.height > 0  # the figures are shown as transcribed
    assert aachen.filter(portfolio.addable()).height == 0  # "not additive: the contract says ..."
    assert all("overlap" in flags for flags in stated["flags"].to_list())
