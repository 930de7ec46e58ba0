"""The brief command refuses what the warehouse does not know, plainly and with a non-zero exit."""

from __future__ import annotations

from typer.testing import CliRunner

from mission import briefs
from mission.cli import app


def test_an_unknown_city_or_country_is_a_clear_message_and_exit_1(tiny, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["brief", "--city", "atlantis", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "No brief: the warehouse has no city 'atlantis'." in result.stderr
    assert runner.invoke(app, ["brief", "--country", "XX", "--out", str(tmp_path)]).exit_code == 1
    assert runner.invoke(app, ["brief", "--out", str(tmp_path)]).exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_the_facts_of_a_city_brief_say_their_kinds(tiny):
    brief = briefs.city_brief("klagenfurt")
    facts = dict(brief.facts)
    assert facts["Baseline"] == "1,000 t CO2e in 2019 (reported by the city)"
    assert facts["2030 target"].endswith("(the city's own)")
    assert [c.name for c in brief.charts] == ["baseline", "pathway"]
    tartu = dict(briefs.city_brief("tartu").facts)
    assert "modelled estimate" in tartu["Baseline"] and "Mission default" in tartu["2030 target"]
    # A newcomer has no contract and so no target: the Mission's default is there to compare, and says so.
    oulu = dict(briefs.city_brief("oulu").facts)
    assert oulu["2030 target"].endswith("(none: the Mission's default 80% cut, for comparison only)")
