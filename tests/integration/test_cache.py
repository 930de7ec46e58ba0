"""Answers memoised per warehouse version (mission.db.cached) when several threads ask at once."""

from __future__ import annotations

import threading
import time

from mission import db as mission_db


def test_threads_asking_the_same_new_question_at_once_compute_it_once(tiny):
    computed: list[str] = []

    @mission_db.cached
    def slow_answer(question: str, path=None) -> str:
        computed.append(question)
        time.sleep(0.2)
        return question.upper()

    start = threading.Barrier(4)
    answers: list[str] = []

    def ask() -> None:
        start.wait()
        answers.append(slow_answer("portfolio"))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert answers == ["PORTFOLIO"] * 4
    assert computed == ["portfolio"]


def test_different_questions_are_answered_at_the_same_time(tiny):
    both_started = threading.Barrier(2, timeout=5)

    @mission_db.cached
    def answer(question: str, path=None) -> str:
        both_started.wait()  # raises BrokenBarrierError if the other question waits for this one
        return question

    results: dict[str, str] = {}
    threads = [threading.Thread(target=lambda q=q: results.__setitem__(q, answer(q))) for q in ("city", "country")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert results == {"city": "city", "country": "country"}
