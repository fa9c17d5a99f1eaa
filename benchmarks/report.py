"""The benchmark's table, with each target and whether it is met, and BENCHMARKS.md.

Targets (issue "Benchmark at 100 times today's volume", tightened by issue 16 "Flat at
scale"), checked at the largest scale against the smallest: every page and API call within
1.5 times its p95 and with the same number of queries; full recomputation within 3 times
the bare SQL and under 30 s; import of 100,000 needs at least 2,000 rows/s and at least
0.05 times bare COPY's rows/s; dashboard throughput at least half of /healthz's, the public
country page's at least 30 %.
"""

import re
from pathlib import Path

from .load import ENDPOINT_KEYS as LOAD_ENDPOINTS
from .load import FLOOR as LOAD_FLOOR

P95_FACTOR = 1.5
RECOMPUTE_FACTOR = 3
RECOMPUTE_LIMIT_S = 30
IMPORT_MIN_ROWS_PER_S = 2000
# The import's rows/s over bare COPY's (issue 16).
IMPORT_MIN_RATIO = 0.05
# The least throughput of a page under load, as a share of /healthz's.
MIN_SHARE_OF_FLOOR = {"dashboard_page": 0.5, "country_page_public": 0.3}

BEGIN = "<!-- benchmark:begin (written by scripts/benchmark.sh; edit outside these marks) -->"
END = "<!-- benchmark:end -->"
SKELETON = f"""# Benchmarks

Measured by `scripts/benchmark.sh` (see README, "Benchmarks"): scale 1 is today's real
volume, scale 100 is 100 times it (`manage.py generate_scale_data`). The section between the
marks is replaced by every run; notes below it are kept.

{BEGIN}
{END}
"""

PASS, FAIL, INFO = "pass", "**FAIL**", "—"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _seconds(value: float) -> str:
    return f"{value:,.1f} s" if value >= 1 else f"{value:.2f} s"


def _page_cell(measured: dict, requested: int) -> str:
    cell = f"{_ms(measured['median_ms'])} / {_ms(measured['p95_ms'])} · {measured['queries']} q"
    if measured["requests"] < requested:
        cell += f" (n={measured['requests']}, time budget)"
    if measured["queries_vary"]:
        cell += " (varies)"
    if measured["statuses"] != [200]:
        cell += f" · HTTP {measured['statuses']}"
    return cell


def _verdict(problems: list[str]) -> str:
    """pass, or FAIL with what missed the target."""
    return PASS if not problems else f"{FAIL} ({', '.join(problems)})"


def _page_row(key: str, small: dict, large: dict, requested: int) -> list[str]:
    base, grown = small["pages"][key], large["pages"][key]
    if key == LOAD_FLOOR:
        target, result = "(floor of the stack)", INFO
    else:
        limit = P95_FACTOR * base["p95_ms"]
        target = f"p95 ≤ {_ms(limit)}, {base['queries']} q"
        ok_time = grown["p95_ms"] <= limit
        ok_queries = grown["queries"] == base["queries"] and not grown["queries_vary"]
        ok_status = grown["statuses"] == [200] and base["statuses"] == [200]
        problems = []
        if not ok_time:
            problems.append(f"p95 {grown['p95_ms'] / base['p95_ms']:.1f}x")
        if not ok_queries:
            problems.append(f"{grown['queries']} q")
        if not ok_status:
            problems.append("HTTP errors")
        result = _verdict(problems)
    return [
        base["label"],
        base["role"],
        _page_cell(base, requested),
        _page_cell(grown, requested),
        target,
        result,
    ]


def _recompute_cell(measured: dict) -> str:
    ratio = measured["recompute_s"] / measured["bare_sql_s"]
    cell = (
        f"{_seconds(measured['recompute_s'])} (bare SQL {_seconds(measured['bare_sql_s'])}, "
        f"{ratio:.1f}x)"
    )
    if measured["disagreements"]:
        cell += " · figures differ from bare SQL!"
    return cell


def _recompute_row(small: dict, large: dict) -> list[str]:
    grown = large["aggregates"]
    limit = min(RECOMPUTE_FACTOR * grown["bare_sql_s"], RECOMPUTE_LIMIT_S)
    problems = []
    if grown["recompute_s"] > RECOMPUTE_FACTOR * grown["bare_sql_s"]:
        problems.append(f"{grown['recompute_s'] / grown['bare_sql_s']:.1f}x bare SQL")
    if grown["recompute_s"] >= RECOMPUTE_LIMIT_S:
        problems.append(f"{_seconds(grown['recompute_s'])}")
    if grown["disagreements"]:
        problems.append("figures differ")
    what = f"Recompute all dashboard figures (median of {grown['runs']})"
    target = f"≤ {RECOMPUTE_FACTOR} x bare SQL and < {RECOMPUTE_LIMIT_S} s (≤ {_seconds(limit)})"
    cells = [_recompute_cell(measured) for measured in (small["aggregates"], grown)]
    return [what, "worker", *cells, target, _verdict(problems)]


def _import_cell(measured: dict) -> str:
    if not measured["written"]:
        return "not imported: " + "; ".join(measured["problems"])[:200]
    constraints = (
        f", {_seconds(measured['constraints_s'])} of it key checks at commit"
        if "constraints_s" in measured
        else ""
    )
    # The floor of an import that keeps its checks (benchmarks.imports), where measured.
    floor = (
        f"; COPY of the stored rows into the tables, checks included, "
        f"{measured['floor_rows_per_s']:,.0f} rows/s: the import at "
        f"{measured['floor_ratio']:.2f} of it"
        if "floor_s" in measured
        else ""
    )
    # Its least part: the needs alone with only what checks them, where measured.
    checks = (
        f"; the needs alone into their table with only their keys and constraints (no index "
        f"for reading, no search column, themes or history) {measured['checks_rows_per_s']:,.0f}"
        f" rows/s, {measured['checks_ratio']:.3f} x bare COPY"
        if "checks_s" in measured
        else ""
    )
    return (
        f"{measured['import_rows_per_s']:,.0f} rows/s ({_seconds(measured['import_s'])}"
        f"{constraints}; bare COPY {measured['copy_rows_per_s']:,.0f} rows/s; ratio "
        f"{_ratio(measured):.3f}{floor}{checks})"
    )


def _ratio(measured: dict) -> float:
    return measured["import_rows_per_s"] / measured["copy_rows_per_s"]


def _import_row(small: dict, large: dict) -> list[str]:
    grown = large["imports"]
    problems = []
    if not grown["written"]:
        problems.append("not written")
    else:
        if grown["import_rows_per_s"] < IMPORT_MIN_ROWS_PER_S:
            problems.append(f"{grown['import_rows_per_s']:,.0f} rows/s")
        if _ratio(grown) < IMPORT_MIN_RATIO:
            problems.append(f"ratio {_ratio(grown):.3f}")
    what = f"Import {grown['rows']:,} needs (CSV, checks, history) next to bare COPY"
    target = f"≥ {IMPORT_MIN_ROWS_PER_S:,} rows/s and ≥ {IMPORT_MIN_RATIO} x bare COPY's rows/s"
    cells = [_import_cell(measured) for measured in (small["imports"], grown)]
    return [what, "staff", *cells, target, _verdict(problems)]


def _load_cell(measured: dict, floor: dict) -> str:
    cell = f"{measured['requests_per_s']:,.1f} req/s"
    if measured is not floor:
        cell += f" ({measured['requests_per_s'] / floor['requests_per_s']:.0%} of /healthz)"
    if "p99_ms" in measured:
        cell += f", p99 {_ms(measured['p99_ms'])}"
    if measured["non_2xx"] or measured["socket_errors"]:
        cell += f" · {measured['non_2xx'] + measured['socket_errors']} errors"
    return cell


def _load_rows(small: dict, large: dict) -> list[list[str]]:
    rows = []
    labels = {key: measured["label"] for key, measured in small["pages"].items()}
    for key in LOAD_ENDPOINTS:
        base, grown = small["load"][key], large["load"][key]
        floor_small, floor_large = small["load"][LOAD_FLOOR], large["load"][LOAD_FLOOR]
        errors = grown["non_2xx"] + grown["socket_errors"]
        if key in MIN_SHARE_OF_FLOOR:
            share = grown["requests_per_s"] / floor_large["requests_per_s"]
            target = f"≥ {MIN_SHARE_OF_FLOOR[key]:.0%} of /healthz"
            ok = share >= MIN_SHARE_OF_FLOOR[key] and not errors
            result = PASS if ok else f"{FAIL} ({share:.0%})"
        else:
            target = "(floor of the stack)" if key == LOAD_FLOOR else "(next to /healthz)"
            result = INFO if not errors else f"{FAIL} (errors)"
        rows.append(
            [
                f"Throughput: {labels[key]}",
                "anonymous",
                _load_cell(base, floor_small),
                _load_cell(grown, floor_large),
                target,
                result,
            ]
        )
    return rows


def table(results: dict) -> str:
    scales = list(results["scales"])
    small, large = results["scales"][scales[0]], results["scales"][scales[-1]]
    header = [
        "Measurement",
        "As",
        f"Scale {scales[0]}",
        f"Scale {scales[-1]}",
        f"Target at scale {scales[-1]}",
        "Result",
    ]
    requested = results["meta"]["requests"]
    rows = [_page_row(key, small, large, requested) for key in small["pages"]]
    rows.append(_recompute_row(small, large))
    rows.append(_import_row(small, large))
    rows += _load_rows(small, large)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def failures(results: dict) -> int:
    return table(results).count(FAIL)


def section(results: dict) -> str:
    meta = results["meta"]
    volumes = "; ".join(
        f"scale {scale}: "
        + ", ".join(f"{count:,} {name}" for name, count in data["counts"].items())
        + f" (generated in {_seconds(data['generate_s'])})"
        for scale, data in results["scales"].items()
    )
    return "\n".join(
        [
            "## Last run",
            "",
            f"- Date: {meta['date']} (total {_seconds(meta['total_s'])})",
            f"- Machine: {meta['machine']}",
            f"- Load average before / after: {meta['load_before']} / {meta['load_after']}",
            f"- Software: {meta['software']}",
            f"- PostgreSQL: {meta['postgresql']}",
            f"- Command: `{meta['command']}`",
            f"- Data: {volumes}",
            "",
            "Pages and API calls: median / p95 of the server time over "
            f"{meta['requests']} requests (Django test client, in-process"
            + (
                f"; in {meta['page_rounds']} rounds that alternate the scales"
                if meta.get("page_rounds", 1) > 1
                else ""
            )
            + ") and the queries per request. Throughput: "
            f"`wrk -t{meta['wrk_threads']} -c{meta['wrk_connections']} "
            f"-d{meta['load_seconds']}s` against gunicorn with {meta['workers']} workers on "
            "the same machine.",
            "",
            table(results),
            "",
        ]
    )


def write_markdown(path: Path, results: dict) -> None:
    """Replace the section between the marks (the skeleton when the file is new)."""
    text = path.read_text() if path.exists() else SKELETON
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + "\n\n" + BEGIN + "\n" + END + "\n"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    replacement = f"{BEGIN}\n{section(results)}{END}"
    path.write_text(pattern.sub(lambda _: replacement, text, count=1))
