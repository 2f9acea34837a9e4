#!/usr/bin/env python3
"""Malformed input to a real tinysql-server over raw sockets: garbage and truncated packets
before and after the handshake, random command packets, a 1 MB statement of nonsense, deeply
nested expressions. Run by Tests/EndToEndTests/SQL/SQLMalformedInputTests.swift.

Usage:
    sql_malformed.py --port P --seed S [--random-packets 200]

Every case must be answered (an ERR, or any well-formed answer where the bytes happen to be a
valid command) or end in the server closing the connection, within a deadline; a server that
neither answers nor closes fails the case. After every case a fresh PyMySQL connection must
run `SELECT 1`. Prints `malformed: <case>: <what happened>` per case and exits 0, or 1 naming
each failed case. Random cases are generated from --seed (printed first).
"""

from __future__ import annotations

import argparse
import random
import socket
import struct
import sys
import time

import pymysql

ANSWER_TIMEOUT = 10.0  # seconds for the server to answer or close
CLIENT_PROTOCOL_41 = 1 << 9
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_LONG_PASSWORD = 1 << 0
CLIENT_PLUGIN_AUTH = 1 << 19
CLIENT_TRANSACTIONS = 1 << 13
CAPS = (CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_LONG_PASSWORD
        | CLIENT_PLUGIN_AUTH | CLIENT_TRANSACTIONS)

# Commands the protocol answers with nothing: a ping after them must be answered instead.
SILENT_COMMANDS = {0x18, 0x19}  # COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE
COM_QUERY = 0x03
COM_PING = 0x0E


class CaseFailed(Exception):
    pass


class ServerGone(Exception):
    """The server no longer serves: the remaining cases cannot tell anything."""


def packet(payload: bytes, seq: int = 0) -> bytes:
    return struct.pack("<I", len(payload))[:3] + bytes([seq & 0xFF]) + payload


class Raw:
    """A raw TCP connection to the server with a minimal MySQL packet reader."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=ANSWER_TIMEOUT)
        self.buffer = b""
        self.closed = False

    def _fill(self, n: int, deadline: float) -> bool:
        while len(self.buffer) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CaseFailed(f"no answer and no close within {ANSWER_TIMEOUT} s "
                                 f"(have {self.buffer[:32].hex()})")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(1 << 16)
            except socket.timeout:
                continue
            except (ConnectionResetError, BrokenPipeError):
                chunk = b""
            if not chunk:
                self.closed = True
                return False
            self.buffer += chunk
        return True

    def read_packet(self, timeout: float = ANSWER_TIMEOUT) -> bytes | None:
        """The next packet's payload, or None once the server closed the connection."""
        deadline = time.monotonic() + timeout
        if not self._fill(4, deadline):
            return None
        length = int.from_bytes(self.buffer[:3], "little")
        if not self._fill(4 + length, deadline):
            return None
        payload = self.buffer[4:4 + length]
        self.buffer = self.buffer[4 + length:]
        return payload

    def send(self, data: bytes) -> bool:
        """Sends `data`; False when the server has already closed the connection."""
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            self.closed = True
            return False

    def login(self) -> None:
        greeting = self.read_packet()
        if greeting is None or greeting[:1] != b"\x0a":
            raise CaseFailed(f"bad greeting {greeting!r}")
        response = (struct.pack("<IIB", CAPS, 1 << 24, 45) + b"\x00" * 23 + b"root\x00"
                    + b"\x00" + b"mysql_native_password\x00")
        self.send(packet(response, 1))
        answer = self.read_packet()
        if answer is None or answer[:1] != b"\x00":
            raise CaseFailed(f"login failed: {answer!r}")

    def answer(self) -> str:
        """Reads the answer to one command: 'error <code>', 'ok', 'result' or 'closed'. A result
        set is read to its end (two EOF packets, or an ERR)."""
        first = self.read_packet()
        if first is None:
            return "closed"
        if first[:1] == b"\xff":
            return f"error {int.from_bytes(first[1:3], 'little')}"
        if first[:1] == b"\x00" or (first[:1] == b"\xfe" and len(first) < 9):
            return "ok"
        eofs = 0
        while eofs < 2:
            p = self.read_packet()
            if p is None:
                return "closed"
            if p[:1] == b"\xff":
                return f"result, then error {int.from_bytes(p[1:3], 'little')}"
            if p[:1] == b"\xfe" and len(p) < 9:
                eofs += 1
        return "result"

    def drain_until_closed(self) -> str:
        """After the client's side is shut: whatever the server sends, then it must close."""
        answers = []
        while True:
            p = self.read_packet()
            if p is None:
                return "closed" + (f" after {', '.join(answers)}" if answers else "")
            answers.append("error" if p[:1] == b"\xff" else f"packet 0x{p[:1].hex()}")

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def select_one(port: int) -> None:
    """A fresh connection runs SELECT 1 (retried briefly: the server may still be closing the
    previous connection, but it must serve within the deadline)."""
    deadline = time.monotonic() + 15
    last = None
    while time.monotonic() < deadline:
        try:
            conn = pymysql.connect(host="127.0.0.1", port=port, user="root", password="",
                                   connect_timeout=5, read_timeout=15)
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")
                    rows = cur.fetchall()
                if rows != ((1,),):
                    raise CaseFailed(f"SELECT 1 on a fresh connection gave {rows!r}")
                return
            finally:
                conn.close()
        except pymysql.err.MySQLError as e:
            last = e
            time.sleep(0.2)
    raise CaseFailed(f"a fresh connection cannot run SELECT 1: {last!r}")


def query_outcome(port: int, sql: str | bytes, timeout: float = 120) -> str:
    """Runs one statement on a raw, logged-in connection: its answer."""
    raw = Raw(port)
    try:
        raw.login()
        body = sql if isinstance(sql, bytes) else sql.encode()
        payload = bytes([COM_QUERY]) + body
        # Payloads of 2^24-1 bytes or more go as several packets.
        chunks = [payload[i:i + 0xFFFFFF] for i in range(0, len(payload), 0xFFFFFF)]
        if len(payload) % 0xFFFFFF == 0:
            chunks.append(b"")
        data = b"".join(packet(c, i) for i, c in enumerate(chunks))
        if not raw.send(data):
            return "closed"
        raw.sock.settimeout(timeout)
        first = raw.read_packet(timeout)
        if first is None:
            return "closed"
        if first[:1] == b"\xff":
            return f"error {int.from_bytes(first[1:3], 'little')}: {first[9:200].decode(errors='replace')}"
        if first[:1] == b"\x00":
            return "ok"
        # A result set: read the column definitions and rows and return the first row's text.
        rows = []
        eofs = 0
        while eofs < 2:
            p = raw.read_packet(timeout)
            if p is None:
                return "closed"
            if p[:1] == b"\xff":
                return f"error {int.from_bytes(p[1:3], 'little')}"
            if p[:1] == b"\xfe" and len(p) < 9:
                eofs += 1
            elif eofs == 1:
                rows.append(p)
        if len(rows) == 1 and rows[0][:1] not in (b"\xfb",):
            n = rows[0][0]
            return f"value {rows[0][1:1 + n].decode(errors='replace')}" if n < 251 else "value (long)"
        return f"{len(rows)} rows"
    finally:
        raw.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--random-packets", type=int, default=200)
    args = parser.parse_args()
    print(f"malformed: seed {args.seed}", flush=True)
    failures: list[str] = []
    try:
        run_cases(args, failures)
    except ServerGone as gone:
        failures.append(f"the server stopped serving after case {gone}; the later cases "
                        f"were not run")
    print(f"malformed: {len(failures)} failures", flush=True)
    for f in failures:
        print(f"malformed: FAILED: {f}", flush=True)
    return 1 if failures else 0


def run_cases(args: argparse.Namespace, failures: list[str]) -> None:
    port = args.port
    rng = random.Random(args.seed)

    def case(name: str, body) -> None:
        try:
            outcome = body()
            print(f"malformed: {name}: {outcome}", flush=True)
        except CaseFailed as e:
            failures.append(f"{name}: {e}")
            print(f"malformed: {name}: FAILED: {e}", flush=True)
        except OSError as e:
            failures.append(f"{name}: socket error {e!r}")
            print(f"malformed: {name}: FAILED: socket error {e!r}", flush=True)
        try:
            select_one(port)
        except CaseFailed as e:
            failures.append(f"after {name}: {e}")
            print(f"malformed: after {name}: FAILED: {e}", flush=True)
            raise ServerGone(name) from e

    # --- Before the handshake is done ---------------------------------------------------------

    def connect_and_close():
        raw = Raw(port)
        raw.read_packet()
        raw.close()
        return "closed by the client"

    def pre_auth(data: bytes, shut: bool = True):
        def run():
            raw = Raw(port)
            try:
                greeting = raw.read_packet()
                if greeting is None:
                    raise CaseFailed("no greeting")
                raw.send(data)
                if shut:
                    raw.sock.shutdown(socket.SHUT_WR)
                    return raw.drain_until_closed()
                answer = raw.read_packet()
                if answer is None:
                    return "closed"
                if answer[:1] == b"\xff":
                    return f"error {int.from_bytes(answer[1:3], 'little')}"
                return f"answered 0x{answer[:1].hex()}"
            finally:
                raw.close()
        return run

    case("connect, read the greeting, close", connect_and_close)
    case("raw garbage instead of the handshake response",
         pre_auth(bytes(rng.randrange(256) for _ in range(300))))
    case("a framed random handshake response",
         pre_auth(packet(bytes(rng.randrange(256) for _ in range(64)), 1), shut=False))
    case("a handshake response cut short (header says 200 bytes, 20 sent)",
         pre_auth(struct.pack("<I", 200)[:3] + b"\x01" + b"\x85\xa6\x03\x00" + b"\x00" * 16))
    case("a handshake response claiming 16 MB, then EOF",
         pre_auth(b"\xff\xff\xff\x01" + b"\x00" * 100))
    case("a handshake response with no user terminator",
         pre_auth(packet(struct.pack("<IIB", CAPS, 1 << 24, 45) + b"\x00" * 23 + b"r" * 500, 1),
                  shut=False))
    case("a handshake response of 4 bytes",
         pre_auth(packet(struct.pack("<I", CAPS), 1), shut=False))
    case("a handshake response with an auth length past the end",
         pre_auth(packet(struct.pack("<IIB", CAPS, 1 << 24, 45) + b"\x00" * 23 + b"root\x00"
                         + b"\xf0" + b"x" * 4, 1), shut=False))
    case("a command before the handshake response",
         pre_auth(packet(b"\x03SELECT 1", 0), shut=False))

    # --- After the handshake ------------------------------------------------------------------

    def post_auth(data: bytes, shut: bool = False):
        def run():
            raw = Raw(port)
            try:
                raw.login()
                if not raw.send(data):
                    return "closed"
                if shut:
                    raw.sock.shutdown(socket.SHUT_WR)
                    return raw.drain_until_closed()
                return raw.answer()
            finally:
                raw.close()
        return run

    case("an empty packet", post_auth(packet(b"")))
    case("an unknown command 0xff", post_auth(packet(b"\xff" + b"junk")))
    case("a command with a wrong sequence id", post_auth(packet(b"\x03SELECT 1", 7)))
    case("a truncated command, then EOF",
         post_auth(struct.pack("<I", 100)[:3] + b"\x00" + b"\x03SELECT", shut=True))
    case("a header alone, then EOF", post_auth(b"\x05\x00\x00", shut=True))
    case("invalid UTF-8 in a query", post_auth(packet(b"\x03SELECT '\xff\xfe\xc3'")))
    case("COM_STMT_EXECUTE of an unknown statement",
         post_auth(packet(b"\x17" + struct.pack("<IBI", 12345, 0, 1))))
    case("COM_STMT_EXECUTE cut short", post_auth(packet(b"\x17\x01")))
    case("COM_STMT_FETCH of an unknown statement",
         post_auth(packet(b"\x1c" + struct.pack("<II", 999, 10))))
    case("COM_FIELD_LIST of nothing", post_auth(packet(b"\x04")))
    case("COM_INIT_DB of garbage", post_auth(packet(b"\x02" + bytes(range(1, 40)))))
    case("COM_CHANGE_USER of garbage", post_auth(packet(b"\x11\xff\xff\xff")))

    def prepared_then_bad_execute():
        raw = Raw(port)
        try:
            raw.login()
            raw.send(packet(b"\x16SELECT ?, ?"))
            ok = raw.read_packet()
            if ok is None or ok[:1] != b"\x00":
                raise CaseFailed(f"prepare failed: {ok!r}")
            statement = int.from_bytes(ok[1:5], "little")
            params = int.from_bytes(ok[7:9], "little")
            for _ in range(params):  # parameter definitions, then EOF
                raw.read_packet()
            if params:
                raw.read_packet()
            # Execute with the new-params-bound flag but types and values cut short.
            raw.send(packet(b"\x17" + struct.pack("<IBI", statement, 0, 1) + b"\x00\x01\x08"))
            return raw.answer()
        finally:
            raw.close()

    case("COM_STMT_EXECUTE of a prepared statement with parameters cut short",
         prepared_then_bad_execute)

    def random_packets():
        """Random command packets, each framed correctly, on as few connections as the server
        allows (a new one after each close)."""
        tally: dict[str, int] = {}
        raw = None
        try:
            for i in range(args.random_packets):
                if raw is None or raw.closed:
                    if raw is not None:
                        raw.close()
                    raw = Raw(port)
                    raw.login()
                command = rng.choice([rng.randrange(0x00, 0x20), 0x03, 0x16, 0x17, 0x1c, 0xff])
                payload = bytes([command]) + bytes(rng.randrange(256)
                                                   for _ in range(rng.randrange(0, 48)))
                if not raw.send(packet(payload)):
                    tally["closed"] = tally.get("closed", 0) + 1
                    continue
                if command in SILENT_COMMANDS:
                    raw.send(packet(bytes([COM_PING])))
                try:
                    outcome = raw.answer()
                except CaseFailed as e:
                    raise CaseFailed(f"packet {i} ({payload[:48].hex()}): {e}") from e
                key = outcome.split(":")[0]
                tally[key] = tally.get(key, 0) + 1
            return ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
        finally:
            if raw is not None:
                raw.close()

    case(f"{args.random_packets} random command packets", random_packets)

    # --- Big and deep statements --------------------------------------------------------------

    def nonsense(size: int) -> str:
        words = ["SELECT", "FROM", "((", "))", ",", "'", "`", "WHERE", "1e9999", "@@", "--",
                 "/*", "*/", "JOIN", "ON", ";", "NULL", "\\", "0x", "?", "!", "<=>", "zz"]
        parts = []
        length = 0
        while length < size:
            w = rng.choice(words) if rng.random() < 0.5 else "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randrange(1, 12)))
            parts.append(w)
            length += len(w) + 1
        return " ".join(parts)[:size]

    def expect(sql, accept):
        def run():
            outcome = query_outcome(port, sql)
            if not accept(outcome):
                raise CaseFailed(f"answered {outcome[:300]!r}")
            return outcome[:120]
        return run

    is_error_or_closed = lambda o: o.startswith("error") or o == "closed"  # noqa: E731
    case("a 1 MB statement of nonsense", expect(nonsense(1 << 20), is_error_or_closed))
    case("1 MB of random bytes as a statement",
         expect(rng.randbytes(1 << 20), is_error_or_closed))
    case("a 1 MB statement of unbalanced parentheses",
         expect("SELECT " + "(" * (1 << 20), is_error_or_closed))
    case("a 1 MB unterminated string", expect("SELECT '" + "a" * (1 << 20), is_error_or_closed))
    case("a 1 MB unterminated comment", expect("SELECT 1 /*" + "x" * (1 << 20), is_error_or_closed))

    # A long OR chain over a table (ordinary SQL a generator writes): the right count.
    def long_or_chain():
        conn = pymysql.connect(host="127.0.0.1", port=port, user="root", password="",
                               autocommit=True, connect_timeout=5, read_timeout=60)
        try:
            with conn.cursor() as cur:
                cur.execute("DROP DATABASE IF EXISTS malformed")
                cur.execute("CREATE DATABASE malformed")
                cur.execute("CREATE TABLE malformed.t (id INT PRIMARY KEY, a INT)")
                cur.execute("INSERT INTO malformed.t VALUES (1, 1), (2, 2), (3, 3)")
                where = " OR ".join(f"a = {i}" for i in range(200))
                try:
                    cur.execute(f"SELECT COUNT(*) FROM malformed.t WHERE {where}")
                    rows = cur.fetchall()
                except pymysql.err.MySQLError as e:
                    raise CaseFailed(f"SELECT COUNT(*) ... WHERE a = 0 OR ... OR a = 199 "
                                     f"failed: {e.args}") from e
                if rows != ((3,),):
                    raise CaseFailed(f"SELECT COUNT(*) ... WHERE a = 0 OR ... OR a = 199 "
                                     f"gave {rows!r}, not 3")
                cur.execute("DROP DATABASE malformed")
                return "3 rows, as expected"
        finally:
            conn.close()

    case("a WHERE of 200 ORed comparisons", long_or_chain)

    # Nesting: shallow expressions must give the right answer; deep ones the answer or an
    # error (a parser's depth limit), never a dead server.
    for depth, must_answer in ((20, True), (200, False), (1_000, False), (100_000, False)):
        ok_or_error = (lambda o: o == "value 1") if must_answer else \
            (lambda o: o == "value 1" or is_error_or_closed(o))
        case(f"{depth} nested parentheses",
             expect("SELECT " + "(" * depth + "1" + ")" * depth, ok_or_error))
        case(f"{2 * depth} nested unary minus",
             expect("SELECT " + "- " * (2 * depth) + "1", ok_or_error))
        case(f"{depth} nested ABS()",
             expect("SELECT " + "ABS(" * depth + "1" + ")" * depth, ok_or_error))
        case(f"{2 * depth} nested NOT",
             expect("SELECT " + "NOT " * (2 * depth) + "1", ok_or_error))
        capped = min(depth, 1_000)
        case(f"{capped} nested scalar subqueries" + (f" (for {depth})" if capped < depth else ""),
             expect("SELECT " + "(SELECT " * capped + "1" + ")" * capped, ok_or_error))
    # Long flat chains: a left-deep tree as deep as the chain is long.
    for terms in (200, 1_000, 10_000):
        accept = (lambda o: o == "value 1") if terms <= 200 else \
            (lambda o: o == "value 1" or is_error_or_closed(o))
        case(f"SELECT 1 + 0 + 0 ... ({terms} terms)", expect("SELECT 1" + " + 0" * terms, accept))
        case(f"SELECT 1 OR 0 OR 0 ... ({terms} terms)",
             expect("SELECT 1" + " OR 0" * terms, accept))
        case(f"SELECT CONCAT('1', '', ...) ({terms} arguments)",
             expect("SELECT CONCAT('1'" + ", ''" * terms + ")", accept))


if __name__ == "__main__":
    sys.exit(main())
