"""AG Grid tables with the dashboard's defaults: sortable, filterable, resizable, numbers formatted in the browser."""

from __future__ import annotations

import dash_ag_grid as dag

DEFAULT_COLUMN = {"sortable": True, "resizable": True, "filter": True, "flex": 1, "minWidth": 110}


def number(digits: int) -> dict:
    """A value formatter: thousands separators and `digits` decimals; blank for a missing value."""
    return {"function": f"params.value == null ? '' : d3.format(',.{digits}f')(params.value)"}


def data_grid(id: str, columns: list[dict], rows: list[dict], **options) -> dag.AgGrid:
    """A grid that grows with its rows (no inner scroll bar) unless `style` sets a height."""
    grid_options = {"domLayout": "autoHeight", **options.pop("dashGridOptions", {})}
    return dag.AgGrid(id=id, columnDefs=columns, rowData=rows, defaultColDef={**DEFAULT_COLUMN,
                                                                              **options.pop("defaultColDef", {})},
                      dashGridOptions=grid_options, className="ag-theme-quartz", **options)
