"""The supervisor's review: anomaly rules, integrity against tampering, CSV export."""

from __future__ import annotations

import csv
import gc
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.services.anomalies import (
    AnomalyRules,
    ReviewEntry,
    Rule,
    detect_anomalies,
    officer_activity,
)
from desktop.services.anomaly_settings import FILE_NAME, RulesStore
from desktop.services.journal_export import entry_rows, write_csv
from desktop.services.journal_review import PARIS, JournalReviewService
from procuration.canonical import digest_of
from procuration.errors import JournalError
from procuration.journal import GENESIS_HASH, entry_hash, seal, verify_chain
from tests.support.fake_journal import FakeJournalApi

TODAY = date(2026, 11, 28)
YESTERDAY = TODAY - timedelta(days=1)
STATION = "PN-75-001"
HEADERS = ("N°", "Heure", "Agent", "Action", "Référence", "Résultat", "Anomalies")


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def api(key: Ed25519PrivateKey) -> FakeJournalApi:
    fake = FakeJournalApi(STATION, key, PARIS)
    fake.append_day(YESTERDAY, size=120, seed=1)
    fake.append_day(TODAY, size=300, seed=2)
    return fake


def service(api: FakeJournalApi, data_dir: Path, **rules: Any) -> JournalReviewService:
    return JournalReviewService(api, data_dir, STATION, rules=AnomalyRules(**rules))


def rechain(entries: list[dict[str, Any]], start: int) -> None:
    """Recomputes every hash from index `start` on, as a forger with database access would."""
    for i in range(start, len(entries)):
        body = {**entries[i], "prev_hash": entries[i - 1]["hash"] if i else entries[i]["prev_hash"]}
        entries[i] = seal(body)


def first_today(api: FakeJournalApi) -> int:
    return next(i for i, e in enumerate(api.entries) if e["at"] >= "2026-11-28")


# --- anomaly rules ------------------------------------------------------------------------


def test_the_demo_day_raises_each_rule_once_with_its_name(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    review = service(api, tmp_path).review_day(TODAY)
    by_rule = {a.rule: a for a in review.anomalies}
    assert set(by_rule) == set(Rule)
    assert by_rule[Rule.SNOOPING].officer == "APJ-2042"
    assert by_rule[Rule.SNOOPING].count == 14
    assert by_rule[Rule.OUT_OF_HOURS].reference == "7KQ2MX"
    assert by_rule[Rule.REPEATED_REFERENCE].reference == "H4TR9W"
    assert by_rule[Rule.REFUSAL_BURST].count >= 6
    assert by_rule[Rule.LOOKUP_BURST].officer == "OPJ-1001"  # who also validates that day
    flagged = review.flags[by_rule[Rule.OUT_OF_HOURS].seqs[0]]
    assert Rule.OUT_OF_HOURS in flagged


def test_raising_the_thresholds_silences_the_rules(api: FakeJournalApi, tmp_path: Path) -> None:
    quiet = service(
        api,
        tmp_path,
        snooping_lookups=15,
        closing=time(22, 0),
        repeated_reference_lookups=4,
        repeated_reference_officers=4,
        refusal_burst=20,
        unfollowed_lookups=40,
    ).review_day(TODAY)
    assert quiet.anomalies == []


def crafted(kind: str, minute: int, actor: str = "OPJ-1", reference: str = "AAAAAA") -> ReviewEntry:
    at = datetime.combine(TODAY, time(9, 0), PARIS) + timedelta(minutes=minute)
    return ReviewEntry(minute, at, kind, actor, reference, "")


def test_a_burst_needs_its_refusals_inside_the_window() -> None:
    rules = AnomalyRules(refusal_burst=3, refusal_window_minutes=10)
    spread = [crafted("validation.refused", m) for m in (0, 6, 12, 18)]
    assert detect_anomalies(spread, rules) == []
    tight = [crafted("validation.refused", m) for m in (0, 4, 8, 9, 60)]
    [burst] = detect_anomalies(tight, rules)
    assert burst.rule is Rule.REFUSAL_BURST
    assert burst.seqs == (0, 4, 8, 9)


def test_one_validation_clears_an_officer_of_snooping() -> None:
    rules = AnomalyRules(snooping_lookups=3)
    lookups = [crafted("request.lookup", m, reference=f"R{m:05d}") for m in range(3)]
    assert [a.rule for a in detect_anomalies(lookups, rules)] == [Rule.SNOOPING]
    validated = [*lookups, crafted("validation.validated", 5, reference="R00000")]
    assert detect_anomalies(validated, rules) == []


def test_a_reference_consulted_by_two_officers_is_flagged() -> None:
    rules = AnomalyRules(repeated_reference_lookups=5, repeated_reference_officers=2)
    seen = [crafted("request.lookup", 0, "OPJ-1"), crafted("request.lookup", 1, "OPJ-2")]
    [anomaly] = detect_anomalies(seen, rules)
    assert (anomaly.rule, anomaly.reference, anomaly.officer) == (
        Rule.REPEATED_REFERENCE,
        "AAAAAA",
        "OPJ-1, OPJ-2",
    )


def test_totals_count_outcomes_and_late_offline_validations(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    review = service(api, tmp_path).review_day(TODAY)
    kinds = [e.kind for e in review.entries]
    summary = review.summary
    assert summary.validated == kinds.count("validation.validated")
    assert summary.refused == kinds.count("validation.refused")
    assert sum(summary.validations_by_hour) == summary.validated
    assert all(late.delay_s > 300 for late in summary.late)
    assert summary.consulted_without_outcome >= 14  # the snooping officer's lookups


# --- integrity ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"reference": "{A}"},  # a brace inside a string
        {"station": {"nested": "x"}},  # a second object: not a flat entry
        {"detail": {"count": 2**53}},  # beyond JavaScript's exact integers
    ],
)
def test_the_fast_hash_agrees_with_rfc8785_or_steps_aside(changes: dict[str, Any]) -> None:
    entry = {
        "seq": 1,
        "at": "2026-11-28T09:31:07Z",
        "kind": "request.lookup",
        "actor": "OPJ-1",
        "station": STATION,
        "reference": "AAAAAA",
        "detail": {"status": "pending"},
        "prev_hash": "A" * 43,
        **changes,
    }
    try:
        expected = digest_of(entry)
    except Exception:  # the generic encoder refuses it: so must entry_hash
        with pytest.raises(Exception):  # noqa: B017
            entry_hash(entry)
        return
    assert entry_hash(entry) == expected


def test_a_resealed_entry_with_an_extra_member_is_an_edit() -> None:
    first = seal(
        {
            "seq": 1,
            "at": "2026-11-28T09:31:07Z",
            "kind": "request.lookup",
            "actor": "OPJ-1",
            "station": STATION,
            "reference": "AAAAAA",
            "detail": {},
            "prev_hash": GENESIS_HASH,
        }
    )
    extra = {k: v for k, v in first.items() if k != "hash"} | {"note": "x"}
    forged = {**extra, "hash": digest_of(extra)}
    verify_chain([first])
    with pytest.raises(JournalError) as caught:
        verify_chain([forged])
    assert caught.value.reason == "edited"


def test_an_untouched_day_is_verified_and_its_checkpoint_remembered(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    integrity = service(api, tmp_path).review_day(TODAY).integrity
    assert integrity.ok
    assert integrity.signed_up_to == len(api.entries)
    assert integrity.signed_at is not None
    assert (tmp_path / "journal-checkpoints.json").exists()
    assert service(api, tmp_path).review_day(YESTERDAY).integrity.ok


def edit(entries: list[dict[str, Any]], i: int) -> None:
    entries[i] = {**entries[i], "reference": "ZZZZZZ"}


def delete(entries: list[dict[str, Any]], i: int) -> None:
    del entries[i]


def insert(entries: list[dict[str, Any]], i: int) -> None:
    entries.insert(i, seal({**entries[i], "reference": "ZZZZZZ"}))


def reorder(entries: list[dict[str, Any]], i: int) -> None:
    entries[i], entries[i + 1] = entries[i + 1], entries[i]


def edit_and_rechain(entries: list[dict[str, Any]], i: int) -> None:
    edit(entries, i)
    rechain(entries, i)


@pytest.mark.parametrize(
    ("tamper", "reason", "bad_offset"),
    [
        (edit, "edited", 0),
        (delete, "sequence", 0),
        (insert, "sequence", 1),
        (reorder, "sequence", 0),
        (edit_and_rechain, "rewritten", None),
    ],
)
def test_each_kind_of_tampering_names_the_first_bad_entry(
    api: FakeJournalApi, tmp_path: Path, tamper: Any, reason: str, bad_offset: int | None
) -> None:
    i = first_today(api) + 10
    tamper(api.entries, i)
    integrity = service(api, tmp_path).review_day(TODAY).integrity
    assert not integrity.ok
    assert integrity.reason == reason
    expected = api.checkpoint_sizes[-1] if bad_offset is None else i + 1 + bad_offset
    assert integrity.bad_seq == expected


def test_the_garbage_collector_runs_again_after_a_review_good_or_bad(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    """The review pauses the cyclic collector while it builds the day (its speed); left
    off, the client's memory would grow all shift."""
    assert service(api, tmp_path).review_day(TODAY).integrity.ok
    assert gc.isenabled()
    api.entries[first_today(api) + 3]["actor"] = "OPJ-9999"
    assert not service(api, tmp_path / "other").review_day(TODAY).integrity.ok
    assert gc.isenabled()


def test_a_truncated_journal_is_reported(api: FakeJournalApi, tmp_path: Path) -> None:
    del api.entries[-5:]
    integrity = service(api, tmp_path).review_day(TODAY).integrity
    assert (integrity.ok, integrity.reason) == (False, "truncated")
    assert integrity.bad_seq == len(api.entries) + 1


def test_a_rollback_to_an_older_signed_checkpoint_is_caught(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    assert service(api, tmp_path).review_day(TODAY).integrity.ok
    kept = len(api.entries) - 20
    del api.entries[kept:]
    api.sign(datetime.now(UTC), kept)  # a genuine, older-looking state re-signed
    integrity = service(api, tmp_path).review_day(TODAY).integrity
    assert (integrity.ok, integrity.reason) == (False, "rolled-back")


def test_a_fork_signed_with_the_real_key_is_caught_by_the_memory(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    assert service(api, tmp_path).review_day(TODAY).integrity.ok
    edit_and_rechain(api.entries, first_today(api) + 3)
    api.checkpoints, api.checkpoint_sizes = [], []
    api.sign(datetime.now(UTC))  # the forger holds the journal key and re-signs
    integrity = service(api, tmp_path).review_day(TODAY).integrity
    assert (integrity.ok, integrity.reason, integrity.bad_seq) == (
        False,
        "forked",
        len(api.entries),
    )


def test_a_fork_before_the_day_is_found_by_fetching_the_gap(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    assert service(api, tmp_path).review_day(YESTERDAY).integrity.ok
    remembered = api.checkpoint_sizes[0]
    edit_and_rechain(api.entries, 5)
    api.checkpoints = [api.checkpoints[0]]
    api.checkpoint_sizes = [remembered]
    api.sign(datetime.now(UTC))  # the forger holds the journal key and re-signs today
    integrity = service(api, tmp_path).review_day(TODAY).integrity
    assert (integrity.ok, integrity.reason, integrity.bad_seq) == (False, "forked", remembered)


def test_a_checkpoint_signed_by_an_unknown_key_is_refused(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    trusted = dict(api.journal_keys())
    api.journal_keys = lambda: trusted  # type: ignore[method-assign]
    api.key = Ed25519PrivateKey.generate()
    api.checkpoints, api.checkpoint_sizes = [], []
    api.sign(datetime.now(UTC))
    integrity = service(api, tmp_path).review_day(TODAY).integrity
    assert (integrity.ok, integrity.reason) == (False, "unknown-key")


# --- CSV ----------------------------------------------------------------------------------


def test_the_csv_reads_back_in_a_french_spreadsheet_layout(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    review = service(api, tmp_path).review_day(TODAY)
    path = tmp_path / "journal.csv"
    rows = entry_rows(
        review.entries,
        review.flags,
        action_label=lambda kind: f"[{kind}]",
        outcome_label=lambda outcome: f"({outcome})",
        rule_label=lambda rule: f"<{rule}>",
    )
    write_csv(path, rows, headers=HEADERS, preamble=[["Intégrité", "NON VÉRIFIÉ"]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[:2] == [["Intégrité", "NON VÉRIFIÉ"], []]
    rows = rows[2:]
    assert rows[0] == list(HEADERS)
    assert len(rows) == len(review.entries) + 1
    assert {row[4] for row in rows[1:]} >= {"7KQ2MX", "H4TR9W"}
    assert any("<out-of-hours>" in row[6] for row in rows[1:])
    assert {row[3] for row in rows[1:]} >= {"[validation.validated]", "[request.lookup]"}
    assert "(submitted)" in {row[5] for row in rows[1:]}
    assert all(len(row) == 7 for row in rows)


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    write_csv(
        path,
        [[1, '=HYPERLINK("http://x")', "+33", "-1", "@SUM(A1)", "7KQ2MX"]],
        headers=HEADERS[:6],
    )
    with path.open(encoding="utf-8-sig", newline="") as stream:
        cells = list(csv.reader(stream, delimiter=";"))[-1]
    assert cells == ["1", '\'=HYPERLINK("http://x")', "'+33", "'-1", "'@SUM(A1)", "7KQ2MX"]


# --- thresholds and phases ------------------------------------------------------------------


def test_thresholds_are_saved_in_the_data_dir_and_read_back(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    chosen = AnomalyRules(
        snooping_lookups=15, closing=time(22, 0), refusal_burst=20, unfollowed_lookups=40
    )
    service(api, tmp_path).set_rules(chosen)
    assert (tmp_path / FILE_NAME).exists()
    reopened = JournalReviewService(api, tmp_path, STATION)
    assert reopened.rules == chosen
    kinds = {a.rule for a in reopened.review_day(TODAY).anomalies}
    assert kinds == {Rule.REPEATED_REFERENCE}


def test_an_unreadable_thresholds_file_falls_back_to_the_defaults(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text('{"refusal_burst": -3}', encoding="utf-8")
    assert RulesStore(tmp_path).load() == AnomalyRules()


def test_the_summary_comes_before_the_verdict_and_reassessing_keeps_it(
    api: FakeJournalApi, tmp_path: Path
) -> None:
    reviewer = service(api, tmp_path)
    download = reviewer.download_day(TODAY)
    review = reviewer.summarise_day(download)
    assert review.integrity is None
    assert not review.verified
    checked = review.with_integrity(reviewer.verify_download(download))
    assert checked.verified
    reviewer.rules = AnomalyRules(refusal_burst=50)
    quieter = reviewer.reassess(checked)
    assert quieter.verified
    assert Rule.REFUSAL_BURST not in {a.rule for a in quieter.anomalies}


def test_officer_activity_counts_each_officers_day(api: FakeJournalApi, tmp_path: Path) -> None:
    review = service(api, tmp_path).review_day(TODAY)
    lines = {line.officer: line for line in officer_activity(review.entries, review.flags)}
    assert lines["APJ-2042"].lookups == 14
    assert lines["APJ-2042"].validated == 0
    assert lines["APJ-2042"].flagged == 14
    assert sum(line.validated for line in lines.values()) == review.summary.validated


def test_many_lookups_without_follow_up_within_an_hour_are_flagged_despite_validations() -> None:
    rules = AnomalyRules(unfollowed_lookups=20, unfollowed_window_minutes=60)
    browsing = [crafted("request.lookup", 2 * m, reference=f"R{m:05d}") for m in range(28)]
    followed = [crafted("request.lookup", 200, reference="B00000")]
    followed.append(crafted("validation.validated", 201, reference="B00000"))
    [anomaly] = [a for a in detect_anomalies([*browsing, *followed], rules)]
    assert (anomaly.rule, anomaly.officer, anomaly.count) == (Rule.LOOKUP_BURST, "OPJ-1", 28)
    assert anomaly.threshold == 20


def test_lookups_spread_over_more_than_the_window_or_followed_up_are_not_flagged() -> None:
    rules = AnomalyRules(unfollowed_lookups=20, unfollowed_window_minutes=60)
    spread = [crafted("request.lookup", 4 * m, reference=f"R{m:05d}") for m in range(28)]
    assert [a.rule for a in detect_anomalies(spread, rules)] != [Rule.LOOKUP_BURST]
    assert all(a.rule is not Rule.LOOKUP_BURST for a in detect_anomalies(spread, rules))
    lookups = [crafted("request.lookup", m, reference=f"R{m:05d}") for m in range(25)]
    decided = [crafted("validation.refused", 30 + m, reference=f"R{m:05d}") for m in range(10)]
    assert all(a.rule is not Rule.LOOKUP_BURST for a in detect_anomalies(lookups + decided, rules))


def test_the_lookup_burst_threshold_is_saved_with_the_others(tmp_path: Path) -> None:
    store = RulesStore(tmp_path)
    store.save(AnomalyRules(unfollowed_lookups=30, unfollowed_window_minutes=45))
    loaded = store.load()
    assert (loaded.unfollowed_lookups, loaded.unfollowed_window_minutes) == (30, 45)
