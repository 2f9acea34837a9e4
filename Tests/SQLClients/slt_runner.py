#!/usr/bin/env python3
"""Runs the sqllogictest-style SQL corpus (Tests/SQLCorpus/*.test) against a MySQL-protocol
server and reports every record whose outcome differs from the expected one.

Usage:
    slt_runner.py --host 127.0.0.1 --port 4000 --user root [--password '']
                  [--stop-on-failure] [--verbose] [--timeout 60] FILE_OR_DIR...

A directory stands for the `*.test` files directly inside it, in name order. Each file runs on
its own connection (autocommit on, one statement per COM_QUERY, no client-side conversions), so
files are independent. The record format and the value formatting rules are described in
Tests/SQLCorpus/README.md; in short:

    statement ok                      statement error 1062       query ITR rowsort
    <sql, up to a blank line>         <sql ...>                  <sql, up to a line ---->
                                                                 ----
                                                                 <rows: values TAB-separated>

At the end it prints the summary `N files, M records, F failures` and then the plain
`P passed, F failed` line that CI tooling reads; the exit status is 1 if any record failed (a
file that cannot be read, parsed or connected to counts as failed), 0 otherwise.

Only PyMySQL is needed (Python 3.11).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

import pymysql

# How many rows of the expected and actual results a failure report shows.
MAX_ROWS_SHOWN = 20

# Decimal arithmetic wide enough for any DOUBLE (up to ~1.8e308) or DECIMAL(65) printed in full.
R_CONTEXT = Context(prec=1000, rounding=ROUND_HALF_UP)

# PyMySQL raises these for a connection that is gone; the rest of the file cannot run then.
CONNECTION_LOST_CODES = {2006, 2013, 2014, 2055}


# ----------------------------------------------------------------------------------------------
# Parsing


class ParseError(Exception):
    """A malformed .test file; carries the file name and line number in its message."""


@dataclass
class Record:
    """One checked statement or query of a .test file."""

    path: str
    line: int  # 1-based line of the record's header (`statement ...` / `query ...`)
    kind: str  # "statement" or "query"
    sql: str
    expect_error: int | None = None  # statement error <code>
    types: str = ""  # query: one of I, T, R per column
    sort: str = "nosort"  # query: "nosort" or "rowsort"
    expected: list[str] = field(default_factory=list)  # query: expected rows, one line each


def parse_file(path: str) -> list[Record]:
    """Splits a .test file into records. Lines starting with `#` between records are comments;
    blank lines separate records."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    records: list[Record] = []
    i = 0
    n = len(lines)

    def fail(lineno: int, msg: str) -> ParseError:
        return ParseError(f"{path}:{lineno}: {msg}")

    while i < n:
        line = lines[i].rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        header_line = i + 1
        words = line.split()
        i += 1
        if words[0] == "statement":
            if len(words) == 2 and words[1] == "ok":
                rec = Record(path, header_line, "statement", "")
            elif len(words) == 3 and words[1] == "error" and words[2].isdigit():
                rec = Record(path, header_line, "statement", "", expect_error=int(words[2]))
            else:
                raise fail(header_line, f"bad statement header: {line!r}")
            sql_lines = []
            while i < n and lines[i].strip():
                sql_lines.append(lines[i].rstrip("\r"))
                i += 1
            if not sql_lines:
                raise fail(header_line, "statement without SQL")
            rec.sql = "\n".join(sql_lines)
            records.append(rec)
        elif words[0] == "query":
            if len(words) not in (2, 3):
                raise fail(header_line, f"bad query header: {line!r}")
            types = words[1]
            sort = words[2] if len(words) == 3 else "nosort"
            if not types or any(t not in "ITR" for t in types):
                raise fail(header_line, f"bad column types {types!r} (use I, T, R)")
            if sort not in ("nosort", "rowsort"):
                raise fail(header_line, f"bad sort mode {sort!r} (use nosort or rowsort)")
            sql_lines = []
            while i < n and lines[i].rstrip("\r") != "----":
                if not lines[i].strip():
                    raise fail(i + 1, "blank line inside a query's SQL (missing ----?)")
                sql_lines.append(lines[i].rstrip("\r"))
                i += 1
            if i >= n:
                raise fail(header_line, "query without a ---- line")
            if not sql_lines:
                raise fail(header_line, "query without SQL")
            i += 1  # skip ----
            expected = []
            while i < n and lines[i].rstrip("\r") != "":
                row = lines[i].rstrip("\r")
                if len(row.split("\t")) != len(types):
                    raise fail(i + 1, f"expected row has {len(row.split(chr(9)))} values, "
                                      f"the query declares {len(types)} columns")
                expected.append(row)
                i += 1
            records.append(Record(path, header_line, "query", "\n".join(sql_lines),
                                  types=types, sort=sort, expected=expected))
        else:
            raise fail(header_line, f"expected a record header, got {line!r}")
    return records


# ----------------------------------------------------------------------------------------------
# Value formatting


def _printable_text(value: bytes | str) -> str:
    """The text of a string value. Bytes (binary columns, or any column a server sends with the
    binary character set) are decoded as UTF-8; a value that is not valid UTF-8, or that contains
    a control character (which would break the one-row-per-line, TAB-separated layout), prints as
    `0x` followed by the upper-case hex of its bytes (UTF-8 bytes for text)."""
    if isinstance(value, str):
        raw = value.encode("utf-8", errors="surrogatepass")
        text = value
    else:
        raw = bytes(value)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "0x" + raw.hex().upper()
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return "0x" + raw.hex().upper()
    return text


def format_value(value: object, col_type: str) -> str:
    """Formats one result value by its declared column type (see README.md)."""
    if value is None:
        return "NULL"
    if isinstance(value, (bytes, bytearray, memoryview, str)):
        text = _printable_text(value if isinstance(value, str) else bytes(value))
    else:  # PyMySQL returns only str/bytes with conv={}; be lenient with anything else
        text = str(value)
    if text == "":
        return "(empty)"
    if col_type in ("T", "I"):
        return text
    # R: exactly three digits after the point, rounded half away from zero; a value that
    # rounds to zero prints as 0.000 (never -0.000). Non-numeric text is shown as is so the
    # mismatch is visible.
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    rounded = number.quantize(Decimal("0.001"), context=R_CONTEXT)
    if rounded == 0:
        rounded = Decimal("0.000")
    return f"{rounded:f}"


# ----------------------------------------------------------------------------------------------
# Running


class ConnectionLost(Exception):
    """The server closed the connection; the rest of the file is not run."""


@dataclass
class Outcome:
    """The verdict on one record; for a query whose result was compared, both row lists."""

    ok: bool
    message: str = ""
    show_rows: bool = False
    expected: list[str] = field(default_factory=list)
    actual: list[str] = field(default_factory=list)


def connect(args: argparse.Namespace) -> pymysql.connections.Connection:
    # conv={} turns off PyMySQL's decoders, so every value is the server's text (str), bytes for
    # binary-charset columns, or None for NULL. autocommit=True matches a fresh mysql client.
    return pymysql.connect(
        host=args.host,
        port=args.port,
        user=args.user,
        password=args.password,
        charset="utf8mb4",
        autocommit=True,
        conv={},
        connect_timeout=args.timeout,
        read_timeout=args.timeout,
        write_timeout=args.timeout,
    )


def run_record(conn: pymysql.connections.Connection, rec: Record) -> Outcome:
    """Executes one record and compares its outcome with the expected one."""
    try:
        with conn.cursor() as cur:
            cur.execute(rec.sql)
            rows = cur.fetchall() if cur.description is not None else ()
            ncols = len(cur.description) if cur.description is not None else 0
    except pymysql.err.MySQLError as e:
        code = e.args[0] if e.args and isinstance(e.args[0], int) else None
        text = e.args[1] if len(e.args) > 1 else str(e)
        if code in CONNECTION_LOST_CODES or isinstance(e, pymysql.err.InterfaceError):
            raise ConnectionLost(f"connection lost: {code} {text}") from e
        if rec.kind == "statement" and rec.expect_error is not None:
            if code == rec.expect_error:
                return Outcome(True)
            return Outcome(False, f"expected error {rec.expect_error}, got error {code}: {text}")
        return Outcome(False, f"unexpected error {code}: {text}")
    except Exception as e:
        # Anything else (a malformed packet, a socket error PyMySQL did not wrap) leaves the
        # protocol in an unknown state, so it ends the file like a lost connection.
        raise ConnectionLost(f"client-side failure: {e!r}") from e

    if rec.kind == "statement":
        if rec.expect_error is not None:
            return Outcome(False, f"expected error {rec.expect_error}, but the statement succeeded")
        return Outcome(True)

    if ncols != len(rec.types):
        shown = ["\t".join(format_value(v, "T") for v in row) for row in rows]
        return Outcome(False, f"expected {len(rec.types)} columns, got {ncols}", True,
                       rec.expected, shown)
    try:
        actual = ["\t".join(format_value(v, t) for v, t in zip(row, rec.types)) for row in rows]
    except Exception as e:  # a value the formatter cannot handle is a failure, not a crash
        return Outcome(False, f"cannot format the result: {e!r}")
    expected = list(rec.expected)
    if rec.sort == "rowsort":
        actual.sort()
        expected.sort()
    if actual != expected:
        return Outcome(False, "result differs", True, expected, actual)
    return Outcome(True)


def report_failure(rec: Record, outcome: Outcome) -> None:
    print(f"FAIL {rec.path}:{rec.line}: {outcome.message}")
    for sql_line in rec.sql.split("\n"):
        print(f"    {sql_line}")
    if outcome.show_rows:
        for title, rows in (("expected", outcome.expected), ("actual", outcome.actual)):
            print(f"  {title} ({len(rows)} rows):")
            for row in rows[:MAX_ROWS_SHOWN]:
                print(f"    {row}")
            if len(rows) > MAX_ROWS_SHOWN:
                print(f"    ... {len(rows) - MAX_ROWS_SHOWN} more")
    sys.stdout.flush()


def run_file(path: str, args: argparse.Namespace) -> tuple[int, int]:
    """Runs one file; returns (records, failures). A file that cannot be parsed or connected to
    counts as one failed record (or all its records, if parsed)."""
    try:
        records = parse_file(path)
    except (OSError, UnicodeDecodeError, ParseError) as e:
        print(f"FAIL {path}: cannot read the file: {e}")
        return 1, 1
    if args.verbose:
        print(f"== {path}: {len(records)} records")
    try:
        conn = connect(args)
    except pymysql.err.MySQLError as e:
        print(f"FAIL {path}: cannot connect to {args.host}:{args.port}: {e}")
        return max(len(records), 1), max(len(records), 1)

    failures = 0
    ran = 0  # records run, or given up on after a lost connection
    try:
        for index, rec in enumerate(records):
            ran = index + 1
            if args.verbose:
                print(f"  {rec.path}:{rec.line}: {rec.sql.splitlines()[0][:100]}")
            try:
                outcome = run_record(conn, rec)
            except ConnectionLost as e:
                # The server dropped us (crash, or it closed the connection on an error); the
                # records that were not run count as failures, since the file's state is gone.
                not_run = len(records) - index - 1
                report_failure(rec, Outcome(False, f"{e}; {not_run} later records not run"))
                failures += 1 + not_run
                ran = len(records)
                break
            key = f"{os.path.basename(rec.path)}:{rec.line}"
            if key in args.known_gaps:
                # A known gap must still fail: one that passes is reported, so the list shrinks.
                if outcome.ok:
                    failures += 1
                    report_failure(rec, Outcome(False, "listed as a known gap but passes now: "
                                                       "take it off the list"))
                elif args.verbose:
                    print(f"  known gap {key}: {args.known_gaps[key]}")
                continue
            if not outcome.ok:
                failures += 1
                report_failure(rec, outcome)
                if args.stop_on_failure:
                    break
    finally:
        try:
            conn.close()
        except Exception:
            pass
    return ran, failures


def collect_files(paths: list[str]) -> list[str]:
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            files.extend(os.path.join(p, name) for name in sorted(os.listdir(p))
                         if name.endswith(".test"))
        else:
            files.append(p)
    return files


def read_known_gaps(path: str | None) -> dict[str, str]:
    """The known gaps file: `file.test:line  reason` per line; `#` comments and blank lines."""
    gaps: dict[str, str] = {}
    if not path:
        return gaps
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition(" ")
            gaps[key] = reason.strip()
    return gaps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run sqllogictest-style .test files against a "
                                                 "MySQL-protocol server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4000)
    parser.add_argument("--user", default="root")
    parser.add_argument("--password", default="")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for the server on connect and per statement")
    parser.add_argument("--stop-on-failure", action="store_true",
                        help="stop at the first failing record")
    parser.add_argument("--verbose", action="store_true", help="print each record as it runs")
    parser.add_argument("--known-gaps", metavar="FILE",
                        help="records the server is known to answer differently (lines "
                             "'file.test:line  reason'); they must fail, and do not count")
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    args = parser.parse_args(argv)
    args.known_gaps = read_known_gaps(args.known_gaps)

    files = collect_files(args.paths)
    files_run = total_records = total_failures = 0
    for path in files:
        records, failures = run_file(path, args)
        files_run += 1
        total_records += records
        total_failures += failures
        if args.verbose or failures:
            print(f"{path}: {records} records, {failures} failures")
        if failures and args.stop_on_failure:
            break
    print(f"{files_run} files, {total_records} records, {total_failures} failures")
    # The plain closing line that CI tooling recognises.
    print(f"{total_records - total_failures} passed, {total_failures} failed")
    # No file at all is a failure too: a wrong path must not look like a green run.
    return 1 if total_failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
