#!/usr/bin/env python3
"""Unique keys across sessions: many PyMySQL connections insert the same unique values at the
same moment; exactly one insert of each value may win. Run by
Tests/EndToEndTests/SQL/SQLConcurrencyTests.swift.

Usage:
    sql_unique.py --port P --seed S [--connections 8] [--values 30]

Four rounds, each over its own table, every connection trying every value (all connections
released together for each value by a barrier):
  - pk/autocommit:     INSERT INTO t (v, who) with v the PRIMARY KEY, autocommit on;
  - pk/txn:            the same inside BEGIN ... COMMIT;
  - unique/autocommit: v in a UNIQUE index of a table whose primary key is AUTO_INCREMENT;
  - unique/txn:        the same inside BEGIN ... COMMIT.
An attempt ends in success, 1062 (duplicate entry; at the INSERT or at COMMIT), or 9007 (write
conflict; then it is rolled back and tried again, and must then succeed or end in 1062). Any
other error fails the run. Afterwards each value must have exactly one winner, the table must
hold exactly one row per value, and that row's `who` must name the winner.

Prints one line `unique: {json}` per round and exits 0, or 1 naming each failure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter

import pymysql

DB = "uniq"
RETRY_LIMIT = 50


def connect(port: int) -> pymysql.connections.Connection:
    return pymysql.connect(host="127.0.0.1", port=port, user="root", password="", database=DB,
                           autocommit=True, connect_timeout=10, read_timeout=60,
                           write_timeout=60)


def code_of(error: Exception) -> int | None:
    if isinstance(error, pymysql.err.MySQLError) and error.args and isinstance(error.args[0], int):
        return error.args[0]
    return None


def attempt(conn, table: str, value: int, who: int, txn: bool) -> str:
    """One INSERT (in a transaction when `txn`): 'won', 'dup' or 'conflict'."""
    with conn.cursor() as cur:
        try:
            if txn:
                cur.execute("BEGIN")
            cur.execute(f"INSERT INTO {table} (v, who) VALUES (%s, %s)", (value, who))
            if cur.rowcount != 1:
                raise RuntimeError(f"INSERT of {value} affected {cur.rowcount} rows")
            if txn:
                cur.execute("COMMIT")
            return "won"
        except pymysql.err.MySQLError as e:
            code = code_of(e)
            if txn:
                cur.execute("ROLLBACK")
            if code == 1062:
                return "dup"
            if code == 9007:
                return "conflict"
            raise RuntimeError(f"INSERT of {value} by {who} into {table}: {e!r}") from e


def run_round(args, name: str, table: str, create: str, txn: bool, seed: int) -> list[str]:
    setup = connect(args.port)
    with setup.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(create)
    rng = random.Random(seed)
    values = rng.sample(range(1, 1_000_000), args.values)
    barrier = threading.Barrier(args.connections)
    lock = threading.Lock()
    outcomes: dict[int, list[str]] = {v: [] for v in values}
    winners: dict[int, list[int]] = {v: [] for v in values}
    conflicts = Counter()
    failures: list[str] = []

    def worker(who: int) -> None:
        conn = None
        try:
            conn = connect(args.port)
            for value in values:
                barrier.wait(60)
                result = None
                for _ in range(RETRY_LIMIT):
                    result = attempt(conn, table, value, who, txn)
                    if result != "conflict":
                        break
                    with lock:
                        conflicts[value] += 1
                with lock:
                    outcomes[value].append(result)
                    if result == "won":
                        winners[value].append(who)
        except Exception as e:  # noqa: BLE001
            with lock:
                failures.append(f"{name}: connection {who}: {e!r}")
            barrier.abort()
        finally:
            if conn is not None:
                conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started

    problems = [f for f in failures if "BrokenBarrierError" not in f] or failures
    if not failures:
        for v in values:
            if len(winners[v]) != 1:
                problems.append(f"{name}: value {v} has {len(winners[v])} winners "
                                f"{winners[v]} (outcomes {sorted(outcomes[v])})")
            if "conflict" in outcomes[v]:
                problems.append(f"{name}: value {v} still conflicts after {RETRY_LIMIT} tries")
        with setup.cursor() as cur:
            cur.execute(f"SELECT v, COUNT(*), MIN(who), MAX(who) FROM {table} GROUP BY v")
            rows = {r[0]: r[1:] for r in cur.fetchall()}
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            count = cur.fetchone()[0]
        if count != len(values) or sorted(rows) != sorted(values):
            problems.append(f"{name}: the table holds {count} rows for values "
                            f"{sorted(rows)[:10]}..., expected one row for each of "
                            f"{len(values)} values")
        for v in values:
            row = rows.get(v)
            if row is not None and (row[0] != 1 or len(winners[v]) == 1
                                    and (row[1], row[2]) != (winners[v][0], winners[v][0])):
                problems.append(f"{name}: value {v}: rows (count, min who, max who) = {row}, "
                                f"the clients saw winners {winners[v]}")
    setup.close()
    tally = Counter(o for outs in outcomes.values() for o in outs)
    print("unique: " + json.dumps({
        "round": name, "seconds": round(seconds, 2), "values": len(values),
        "connections": args.connections, "won": tally["won"], "duplicate": tally["dup"],
        "conflicts_retried": sum(conflicts.values()),
    }), flush=True)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--values", type=int, default=30)
    args = parser.parse_args()
    print(f"unique: seed {args.seed}", flush=True)
    conn = pymysql.connect(host="127.0.0.1", port=args.port, user="root", password="",
                           autocommit=True, connect_timeout=10, read_timeout=60)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB}")
        cur.execute(f"CREATE DATABASE {DB}")
    conn.close()
    pk = "CREATE TABLE {t} (v INT PRIMARY KEY, who INT NOT NULL)"
    uk = ("CREATE TABLE {t} (id BIGINT PRIMARY KEY AUTO_INCREMENT, v INT NOT NULL, "
          "who INT NOT NULL, UNIQUE KEY uk_v (v))")
    rounds = [("pk/autocommit", "pk_auto", pk, False), ("pk/txn", "pk_txn", pk, True),
              ("unique/autocommit", "uk_auto", uk, False), ("unique/txn", "uk_txn", uk, True)]
    problems: list[str] = []
    for index, (name, table, create, txn) in enumerate(rounds):
        problems += run_round(args, name, table, create.format(t=table), txn,
                              args.seed + index)
    for p in problems[:40]:
        print(f"unique: FAILED: {p}", flush=True)
    if len(problems) > 40:
        print(f"unique: FAILED: ... {len(problems) - 40} more", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
