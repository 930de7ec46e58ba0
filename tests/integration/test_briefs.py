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


def test_the_mission_progress_brief_refuses_a_city_and_an_unknown_country(tiny, tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["brief", "--mission", "--city", "klagenfurt", "--out", str(tmp_path)]).exit_code == 2
    result = runner.invoke(app, ["brief", "--mission", "--country", "XX", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "No brief: the warehouse has no Mission City in XX." in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_facts_of_a_mission_brief_keep_published_and_computed_figures_apart(tiny):
    brief = briefs.mission_brief()
    facts = dict(brief.facts)
    assert brief.kind == "mission" and brief.name == "Mission progress"
    assert "reported by the cities" in facts["Summed baselines"] and "modelled estimates" in facts["Summed baselines"]
    assert facts["Still to cut"].endswith("(computed)")
    assert [c.name for c in [brief.lead, *brief.charts]] == [
        "road", "gap", "gap_by_country", "gap_by_field", "pace", "money"]


def test_python_m_mission_briefs_is_the_brief_command():
    import subprocess
    import sys

    shown = subprocess.run([sys.executable, "-m", "mission.briefs", "--help"], capture_output=True, text=True,
                           check=True).stdout
    assert "--mission" in shown and "python -m mission.briefs" in shown
