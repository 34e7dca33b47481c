"""The plenary meeting: who comes, who talks to whom, what progress members perceive, who leaves.

Attendance (M9, M7): each sector has a base chance to attend (primary care rarely comes),
scaled by commitment and raised by the member's tie to the coordinator, whose agendas, notes
and invitations keep members coming; mandated members attend at least symbolically.
Reporting (M2): what ended since the last meeting and whether running projects are on track
is what members perceive as progress; a meeting with nothing to report is itself a small
disappointment. Conversations (M1, M8), after the report: each attendee talks to a few
others; that adds trust evidence, more after good news and partly evidence against after bad
news or none (the meeting's mood), and, in proportion to the meeting time spent on
relationship building, relationship strength.
Exit (M7): disillusioned members of a voluntary network may leave; mandated ones cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trustnet.core.compiled import jit, maximum, pairwise_sum
from trustnet.core.organisations import Organisations
from trustnet.core.projects import Portfolio, meaning
from trustnet.core.ties import Ties

ON_TRACK_SIGNAL = 0.3  # weight of a report that a running project is on or off track (no lit.)


@dataclass
class Outcomes:
    """What members perceived of the projects that ended since the last meeting."""

    total: float = 0.0  # sum of the perceived values
    count: int = 0  # number of projects

    def add(self, perceived: np.ndarray) -> None:
        self.total += float(perceived.sum())
        self.count += len(perceived)


def draw_attendance(orgs: Organisations, params: dict, rng: np.random.Generator) -> np.ndarray:
    """Who attends this meeting."""
    draws = rng.random(orgs.n)
    return _attend(draws, orgs.base_attendance, orgs.commitment, orgs.coordinator_tie,
                   orgs.active, orgs.attending, params["coordinator_pull"],
                   params["mandated_attendance"] if params["mandated"] else -1.0)


@jit
def _attend(draws, base_attendance, commitment, coordinator_tie, active, attending, pull,
            floor):  # pragma: no cover - compiled
    """Who attends (``attending``, and returned as indices); a floor below 0 is none."""
    count = 0
    for m in range(len(draws)):
        chance = base_attendance[m] * (0.4 + 0.9 * commitment[m]) * (
            1.0 + pull * coordinator_tie[m])
        if floor >= 0:
            chance = maximum(chance, floor)
        attending[m] = draws[m] < chance and active[m]  # a chance above 1 is certainty
        count += attending[m]
    present = np.empty(count, dtype=np.int64)
    at = 0
    for m in range(len(draws)):
        if attending[m]:
            present[at] = m
            at += 1
    return present


def hold_conversations(ties: Ties, present: np.ndarray, commitment: np.ndarray,
                       relationship_time: float, mood: float, params: dict,
                       rng: np.random.Generator) -> None:
    """Each attendee talks to ``meeting_contacts`` others (everyone, in a small meeting).

    What a conversation teaches follows the meeting's mood, the progress it reported in
    [-1, 1] times ``meeting_mood_weight``: good news adds to the trust evidence, bad news
    turns part of it into evidence against, weighed as a failure is.
    """
    k = len(present)
    if k < 2:
        return
    contacts = params["meeting_contacts"]
    # everyone talks to everyone in a small meeting; else each to ``contacts`` drawn others
    draws = rng.random((k, contacts)) if contacts < k - 1 else np.empty((0, 0))
    mood = min(max(mood * params["meeting_mood_weight"], -1.0), 1.0)
    i, j, good, against = _conversations(
        present, commitment, draws, params["meeting_trust_gain"] * 0.5, 1.0 + mood,
        params["failure_weight"], -mood)
    ties.talk(i, j, good, params["strength_gain_meeting"] * relationship_time,
              against if mood < 0 else None)


@jit
def _conversations(present, commitment, draws, gain, good_factor, failure_weight,
                   bad_news):  # pragma: no cover - compiled
    """The pairs that talked, both orders of each (first every speaker's own contacts, then
    the same pairs the other way round), and the evidence each pair gains and, after bad
    news (``bad_news`` > 0), the evidence against.

    A pair that talked counts once, however often the draw paired them (the storage adds a
    repeated pair once); engaged members build more trust than symbolic participants (the
    pair's mean commitment).
    """
    k = len(present)
    if draws.shape[0] == 0:  # everyone with everyone, speaker by speaker
        size = k * (k - 1)
        i, j = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
        at = 0
        for a in range(k):
            for b in range(k):
                if a != b:
                    i[at], j[at] = present[a], present[b]
                    at += 1
    else:
        contacts = draws.shape[1]
        half = k * contacts
        i, j = np.empty(2 * half, dtype=np.int64), np.empty(2 * half, dtype=np.int64)
        for a in range(k):
            for c in range(contacts):
                other = int(draws[a, c] * (k - 1))
                other += other >= a  # skip oneself
                i[a * contacts + c] = j[half + a * contacts + c] = present[a]
                j[a * contacts + c] = i[half + a * contacts + c] = present[other]
    good = np.empty(len(i))
    against = np.empty(len(i) if bad_news > 0 else 0)
    for x in range(len(i)):
        evidence = gain * (commitment[i[x]] + commitment[j[x]])
        good[x] = evidence * good_factor
        if bad_news > 0:
            against[x] = evidence * failure_weight * bad_news
    return i, j, good, against


def report_progress(orgs: Organisations, projects: Portfolio, present: np.ndarray,
                    outcomes: Outcomes, step: int, params: dict) -> float:
    """Attendees perceive the progress reported at the meeting (M2).

    ``outcomes`` are the perceived values of the projects that ended since the last meeting
    (meaning of a success less ``progress_expectation``, -1 for a failure). A running project
    reported on track adds ON_TRACK_SIGNAL times its meaning, one off track subtracts
    ON_TRACK_SIGNAL. Returns the signal (0 when nobody came).
    """
    if len(present) == 0:
        return 0.0
    total, count = outcomes.total, outcomes.count
    running = projects.active()
    if len(running):
        # progress on a trivial project is trivial progress
        worth = meaning(projects.ambition[running], params["meaningful_ambition"])
        total += ON_TRACK_SIGNAL * _on_track(running, worth, projects.start, projects.deadline,
                                             projects.progress, projects.required, step)
        count += len(running)
    signal = total / count if count else -params["idle_penalty"]
    orgs.signal(present, signal, params)
    return signal


@jit
def _on_track(running, worth, start, deadline, progress, required,
              step):  # pragma: no cover - compiled
    """The sum over running projects of their meaning when on track, else -1."""
    reported = np.empty(len(running))
    for x in range(len(running)):
        r = running[x]
        elapsed = (step - start[r]) / max(deadline[r] - start[r], 1)
        on_track = progress[r] >= 0.9 * elapsed * required[r]
        reported[x] = worth[x] if on_track else -1.0
    return pairwise_sum(reported)


def members_leave(orgs: Organisations, params: dict, rng: np.random.Generator) -> np.ndarray:
    """Disillusioned members of a voluntary network may leave; returns who left."""
    draw = rng.random(orgs.n)  # drawn either way, so that arms share their random numbers
    if params["mandated"]:
        return np.empty(0, dtype=np.int64)
    chance = params["member_exit_rate"] * orgs.disillusionment**2
    leaving = (orgs.active & (draw < chance)).nonzero()[0]
    orgs.leave(leaving)
    return leaving
