"""Helpers shared by the TiKV client scripts: the PD address, named checks, and a little
direct PD and TiKV traffic (region counts, a client that prewrites and dies) built from the
protocol messages tikv-python ships plus a hand-encoded prewrite.

Every script takes the PD address (host:port) as its only argument."""

from __future__ import annotations

import os
import sys
import time
import traceback

import grpc
from tikv._proto import metapb_pb2, pdpb_pb2


class Checks:
    """Named checks run one after another; a failing one is reported and the others still
    run. `finish()` exits non-zero if any failed."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.failed: list[str] = []
        self.passed = 0

    def case(self, name: str) -> "_Case":
        return _Case(self, name)

    def finish(self) -> None:
        print(f"{self.script}: {self.passed} passed, {len(self.failed)} failed")
        for name in self.failed:
            print(f"  FAILED: {name}")
        sys.stdout.flush()
        # os._exit: the tikv-client binding's runtime can crash during interpreter teardown
        # (seen as a segfault after a failed call), which would hide the checks' verdict.
        os._exit(1 if self.failed else 0)


class _Case:
    def __init__(self, checks: Checks, name: str) -> None:
        self.checks = checks
        self.name = name

    def __enter__(self) -> None:
        print(f"-- {self.name}", flush=True)
        self.started = time.monotonic()

    def __exit__(self, kind, error, trace) -> bool:
        took = time.monotonic() - self.started
        if error is None:
            self.checks.passed += 1
            print(f"ok   {self.name} ({took:.1f}s)", flush=True)
        else:
            self.checks.failed.append(self.name)
            print(f"FAIL {self.name} ({took:.1f}s): {kind.__name__}: {error}", flush=True)
            traceback.print_exception(kind, error, trace, limit=6, file=sys.stdout)
        return True  # go on with the next check


def expect(condition: bool, what: str) -> None:
    """Fails the current check with `what` unless `condition` holds."""
    if not condition:
        raise AssertionError(what)


def single_key_round_trip(client, key: bytes) -> None:
    """put, get, overwrite, delete of one key through any raw client with put/get/delete."""
    client.put(key, b"hello")
    expect(client.get(key) == b"hello", "get after put")
    client.put(key, b"again")
    expect(client.get(key) == b"again", "get after overwrite")
    client.delete(key)
    expect(client.get(key) is None, "get after delete")


def pd_address() -> str:
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} PD_HOST:PORT [...]")
    return sys.argv[1].removeprefix("http://")


# -- Direct PD calls -------------------------------------------------------------------------


def _unary(address: str, path: str, request, response_type, timeout: float = 5.0):
    with grpc.insecure_channel(address) as channel:
        call = channel.unary_unary(
            path,
            request_serializer=lambda message: message.SerializeToString(),
            response_deserializer=response_type.FromString,
        )
        return call(request, timeout=timeout)


class PD:
    """A bare `pdpb.PD` client: enough to count regions and find a key's leader."""

    def __init__(self, address: str) -> None:
        self.address = address
        members = self.call("GetMembers", pdpb_pb2.GetMembersRequest(), pdpb_pb2.GetMembersResponse)
        self.cluster_id = members.header.cluster_id

    def call(self, method: str, request, response_type):
        if hasattr(request, "header") and method != "GetMembers":
            request.header.cluster_id = self.cluster_id
        response = _unary(self.address, f"/pdpb.PD/{method}", request, response_type)
        if response.header.HasField("error"):
            raise AssertionError(f"PD {method} answered {response.header.error}")
        return response

    def regions(self, start: bytes = b"", end: bytes = b"") -> list:
        request = pdpb_pb2.ScanRegionsRequest(start_key=start, end_key=end, limit=0)
        return list(self.call("ScanRegions", request, pdpb_pb2.ScanRegionsResponse).regions)

    def wait_for_regions(self, count: int, start: bytes = b"", end: bytes = b"", timeout: float = 45) -> int:
        """Waits until `[start, end)` overlaps at least `count` regions; returns how many."""
        deadline = time.monotonic() + timeout
        while True:
            found = len(self.regions(start, end))
            if found >= count or time.monotonic() > deadline:
                expect(found >= count, f"{count} regions over [{start!r}, {end!r}) within {timeout}s, saw {found}")
                return found
            time.sleep(0.2)

    def wait_for_settled_regions(
        self, start: bytes = b"", end: bytes = b"", quiet: float = 3.0, timeout: float = 45
    ) -> int:
        """Waits until the regions over `[start, end)` (ids, ranges, epochs) stay the same for
        `quiet` seconds, i.e. splitting has finished; returns how many there are."""
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while True:
            now = [
                (r.region.id, r.region.start_key, r.region.end_key, r.region.region_epoch.version)
                for r in self.regions(start, end)
            ]
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return len(now)
            expect(time.monotonic() < deadline, f"regions over [{start!r}, {end!r}) still changing after {timeout}s")
            time.sleep(0.2)

    def gc_safe_point(self) -> int:
        """PD's GC safe point (tikv-python ships no GC messages: GetGCSafePointRequest is
        header 1 {cluster_id 1}; the response is header 1 {error 2}, safe_point 2)."""
        request = _field(1, _field(1, self.cluster_id))
        with grpc.insecure_channel(self.address) as channel:
            call = channel.unary_unary(
                "/pdpb.PD/GetGCSafePoint", request_serializer=lambda raw: raw, response_deserializer=lambda raw: raw
            )
            reply = _decode(call(request, timeout=5))
        header = _decode(reply.get(1, [b""])[0])
        expect(2 not in header, f"GetGCSafePoint answered an error: {header.get(2)}")
        return reply.get(2, [0])[0]

    def timestamp(self) -> int:
        """One timestamp from the TSO stream, packed as physical << 18 | logical (tikv-python
        ships no TSO messages: TsoRequest is header 1 {cluster_id 1}, count 2; TsoResponse is
        header 1 {error 2}, count 2, timestamp 3 {physical 1, logical 2})."""
        request = _field(1, _field(1, self.cluster_id)) + _field(2, 1)
        with grpc.insecure_channel(self.address) as channel:
            call = channel.stream_stream(
                "/pdpb.PD/Tso", request_serializer=lambda raw: raw, response_deserializer=lambda raw: raw
            )
            reply = _decode(next(iter(call(iter([request]), timeout=5))))
        header = _decode(reply.get(1, [b""])[0])
        expect(2 not in header, f"TSO answered an error: {header.get(2)}")
        timestamp = _decode(reply[3][0])
        return timestamp.get(1, [0])[0] << 18 | timestamp.get(2, [0])[0]

    def leader_of(self, key: bytes):
        """(region, leader peer, leader store address) for `key` as PD knows it."""
        response = self.call("GetRegion", pdpb_pb2.GetRegionRequest(region_key=key), pdpb_pb2.GetRegionResponse)
        expect(response.HasField("leader"), f"region {response.region.id} has no leader yet")
        store = self.call(
            "GetStore", pdpb_pb2.GetStoreRequest(store_id=response.leader.store_id), pdpb_pb2.GetStoreResponse
        )
        return response.region, response.leader, store.store.address.removeprefix("http://")


# -- Keys ----------------------------------------------------------------------------------


def memcomparable(key: bytes) -> bytes:
    """TiKV's memcomparable encoding of a transactional key (groups of 8 bytes, each followed
    by 0xff minus its padding), the form client-rust looks transactional keys up in PD with."""
    out = bytearray()
    for index in range(0, len(key) + 1, 8):
        group = key[index : index + 8]
        pad = 8 - len(group)
        out += group + b"\x00" * pad + bytes([0xFF - pad])
        if pad:
            break
    return bytes(out)


# -- A client that prewrites and dies -----------------------------------------------------------
# tikv-python ships no transactional messages, so the prewrite is encoded by hand from
# kvrpcpb's field numbers (PrewriteRequest: context 1, mutations 2, primary_lock 3,
# start_version 4, lock_ttl 5; Mutation: op 1 (Put = 0), key 2, value 3).


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _read_varint(data: bytes, index: int) -> tuple[int, int]:
    """The varint at `index` and the index after it."""
    value, shift = 0, 0
    while True:
        byte = data[index]
        index += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, index


def _decode(data: bytes) -> dict[int, list]:
    """A serialised message's top-level fields: number -> values (ints for varints, bytes for
    length-delimited fields)."""
    fields: dict[int, list] = {}
    index = 0
    while index < len(data):
        tag, index = _read_varint(data, index)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, index = _read_varint(data, index)
        elif wire == 2:
            length, index = _read_varint(data, index)
            value, index = data[index : index + length], index + length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, index = int.from_bytes(data[index : index + size], "little"), index + size
        else:
            raise ValueError(f"unexpected wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


def prewrite_and_die(pd: PD, key: bytes, value: bytes, ttl_ms: int) -> int:
    """Prewrites `key = value` as the primary of a new transaction with a lock TTL of `ttl_ms`,
    then never commits or rolls back (as a client that crashed would); returns its start ts."""
    start_ts = pd.timestamp()
    region, leader, address = pd.leader_of(memcomparable(key))
    context = (
        _field(1, region.id)
        + _field(2, region.region_epoch.SerializeToString())
        + _field(3, metapb_pb2.Peer(id=leader.id, store_id=leader.store_id).SerializeToString())
    )
    mutation = _field(1, 0) + _field(2, key) + _field(3, value)
    request = _field(1, context) + _field(2, mutation) + _field(3, key) + _field(4, start_ts) + _field(5, ttl_ms)
    with grpc.insecure_channel(address) as channel:
        call = channel.unary_unary(
            "/tikvpb.Tikv/KvPrewrite", request_serializer=lambda raw: raw, response_deserializer=lambda raw: raw
        )
        response = call(request, timeout=5)
    problems = set(_decode(response)) & {1, 2}
    expect(not problems, f"KvPrewrite answered region_error/errors (fields {sorted(problems)}): {response!r}")
    return start_ts
