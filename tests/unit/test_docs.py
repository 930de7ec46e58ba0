"""The committed description of the warehouse matches the schema."""

from etl.docs import warehouse_markdown
from tests.conftest import ROOT


def test_docs_warehouse_md_is_current():
    committed = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert committed == warehouse_markdown(), "run: python -m etl schema > docs/warehouse.md"
