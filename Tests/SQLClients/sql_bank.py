#!/usr/bin/env python3
"""A bank over SQL: N PyMySQL workers move money between accounts in explicit transactions
(BEGIN; SELECT; UPDATE; UPDATE; COMMIT) against tinysql-server while the test kills and restarts
stores. Run by Tests/EndToEndTests/SQL/SQLBankTests.swift.

Usage:
    sql_bank.py --port P --seed S --stop-file F --progress-file G
                [--accounts 10] [--workers 4] [--initial 1000] [--max-seconds 600]

The workers run until the stop file exists (or --max-seconds pass). A transfer that fails with
a retryable error (9007 write conflict, 8028 schema changed, 9004 lock not resolved, 9005
region unavailable) is rolled back and run again; 8224 (the commit's outcome is unknown: its
answer was lost with a store) is counted apart and not retried blindly, as it may have
committed; any other error fails the run. The progress file holds `commits=<n>` and is rewritten
a few times a second, so the test can wait for progress between kills.

At the end the script checks, on a fresh connection, that the total is unchanged and that no
account is negative, then prints one summary line `bank: {json}` (commits, insufficient-funds
rollbacks, retries by code, the longest pause between two commits, the slowest transfer) and
exits 0, or 1 naming what failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections import Counter

import pymysql

RETRYABLE = {9007, 8028, 9004, 9005}
UNDETERMINED = 8224
DB = "bank"


def connect(port: int, database: str | None = DB) -> pymysql.connections.Connection:
    return pymysql.connect(host="127.0.0.1", port=port, user="root", password="",
                           database=database, autocommit=True, connect_timeout=10,
                           read_timeout=60, write_timeout=60)


def code_of(error: Exception) -> int | None:
    if isinstance(error, pymysql.err.MySQLError) and error.args and isinstance(error.args[0], int):
        return error.args[0]
    return None


def with_retries(port: int, what: str, body, deadline: float):
    """Runs `body(cursor)` on a fresh autocommit connection, again after retryable errors, until
    `deadline` (setup and the final check must get through a store restart too)."""
    last = None
    while time.monotonic() < deadline:
        try:
            conn = connect(port, None)
            try:
                with conn.cursor() as cur:
                    return body(cur)
            finally:
                conn.close()
        except pymysql.err.MySQLError as e:
            if code_of(e) not in RETRYABLE:
                raise
            last = e
            time.sleep(0.1)
    raise RuntimeError(f"{what}: still failing at the deadline: {last!r}")


class Bank:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.lock = threading.Lock()
        self.commits = 0
        self.insufficient = 0
        self.retries: Counter[int] = Counter()
        self.undetermined = 0
        self.commit_times: list[float] = []
        self.slowest = 0.0
        self.failures: list[str] = []
        self.stop = threading.Event()

    def worker(self, index: int) -> None:
        rng = random.Random(self.args.seed * 1000 + index)
        conn = None
        try:
            conn = connect(self.args.port)
            while not self.stop.is_set():
                a, b = rng.sample(range(self.args.accounts), 2)
                amount = rng.randint(1, self.args.initial // 2)
                started = time.monotonic()
                while not self.stop.is_set():
                    outcome = self.transfer(conn, a, b, amount)
                    if outcome == "retry":
                        continue
                    elapsed = time.monotonic() - started
                    with self.lock:
                        self.slowest = max(self.slowest, elapsed)
                        if outcome == "committed":
                            self.commits += 1
                            self.commit_times.append(time.monotonic())
                        elif outcome == "insufficient":
                            self.insufficient += 1
                        elif outcome == "undetermined":
                            self.undetermined += 1
                    break
        except Exception as e:  # noqa: BLE001 - any other failure ends the run
            with self.lock:
                self.failures.append(f"worker {index}: {e!r}")
            self.stop.set()
        finally:
            if conn is not None:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass

    def transfer(self, conn, a: int, b: int, amount: int) -> str:
        """One attempt: 'committed', 'insufficient', 'undetermined' or 'retry'."""
        stage = "BEGIN"
        try:
            with conn.cursor() as cur:
                cur.execute("BEGIN")
                stage = "SELECT"
                cur.execute("SELECT balance FROM accounts WHERE id = %s", (a,))
                row = cur.fetchone()
                if row is None:
                    raise RuntimeError(f"account {a} is missing")
                if row[0] < amount:
                    cur.execute("ROLLBACK")
                    return "insufficient"
                stage = "UPDATE"
                cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s",
                            (amount, a))
                if cur.rowcount != 1:
                    raise RuntimeError(f"debiting account {a} changed {cur.rowcount} rows")
                cur.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s",
                            (amount, b))
                if cur.rowcount != 1:
                    raise RuntimeError(f"crediting account {b} changed {cur.rowcount} rows")
                stage = "COMMIT"
                cur.execute("COMMIT")
                return "committed"
        except pymysql.err.MySQLError as e:
            code = code_of(e)
            if code in RETRYABLE:
                with self.lock:
                    self.retries[code] += 1
                self.rollback(conn)
                return "retry"
            if code == UNDETERMINED and stage == "COMMIT":
                self.rollback(conn)
                return "undetermined"
            raise RuntimeError(f"{stage} of transfer {a}->{b} ({amount}) failed: {e!r}") from e

    @staticmethod
    def rollback(conn) -> None:
        with conn.cursor() as cur:
            cur.execute("ROLLBACK")

    def progress(self) -> None:
        path = self.args.progress_file
        while not self.stop.wait(0.2):
            with self.lock:
                text = f"commits={self.commits}\n"
            tmp = path + ".tmp"
            with open(tmp, "w") as f:
                f.write(text)
            os.replace(tmp, path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--progress-file", required=True)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--initial", type=int, default=1000)
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    print(f"bank: seed {args.seed}, {args.workers} workers, {args.accounts} accounts", flush=True)
    total = args.accounts * args.initial

    def setup(cur):
        cur.execute(f"DROP DATABASE IF EXISTS {DB}")
        cur.execute(f"CREATE DATABASE {DB}")
        cur.execute(f"CREATE TABLE {DB}.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)")
        values = ", ".join(f"({i}, {args.initial})" for i in range(args.accounts))
        cur.execute(f"INSERT INTO {DB}.accounts VALUES {values}")

    with_retries(args.port, "setup", setup, time.monotonic() + 60)
    bank = Bank(args)
    started = time.monotonic()
    threads = [threading.Thread(target=bank.worker, args=(i,), daemon=True)
               for i in range(args.workers)]
    reporter = threading.Thread(target=bank.progress, daemon=True)
    for t in threads + [reporter]:
        t.start()
    while not bank.stop.is_set():
        if os.path.exists(args.stop_file) or time.monotonic() - started > args.max_seconds:
            bank.stop.set()
        time.sleep(0.05)
    for t in threads:
        t.join(120)
    stuck = sum(t.is_alive() for t in threads)
    ran = time.monotonic() - started

    def final(cur):
        cur.execute(f"SELECT id, balance FROM {DB}.accounts ORDER BY id")
        return cur.fetchall()

    rows = with_retries(args.port, "the final read", final, time.monotonic() + 60)
    balances = {r[0]: r[1] for r in rows}
    problems = list(bank.failures)
    if stuck:
        problems.append(f"{stuck} workers did not stop within 120 s")
    if sorted(balances) != list(range(args.accounts)):
        problems.append(f"accounts {sorted(balances)} instead of 0..{args.accounts - 1}")
    if sum(balances.values()) != total:
        problems.append(f"the total is {sum(balances.values())}, not {total}")
    negative = {k: v for k, v in balances.items() if v < 0}
    if negative:
        problems.append(f"negative balances: {negative}")
    if bank.commits == 0:
        problems.append("no transfer committed")
    times = [started] + sorted(bank.commit_times)
    pause = max((b - a for a, b in zip(times, times[1:])), default=ran)
    summary = {
        "seed": args.seed, "seconds": round(ran, 1), "commits": bank.commits,
        "insufficient_funds": bank.insufficient, "undetermined": bank.undetermined,
        "retries": {str(k): v for k, v in sorted(bank.retries.items())},
        "longest_pause_s": round(pause, 2), "slowest_transfer_s": round(bank.slowest, 2),
        "balances": [balances.get(i) for i in range(args.accounts)],
    }
    print("bank: " + json.dumps(summary), flush=True)
    for p in problems:
        print(f"bank: FAILED: {p}", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
