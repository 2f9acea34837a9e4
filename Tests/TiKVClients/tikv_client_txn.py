"""tikv-client (client-rust's Python binding), transactional API, against a TinyKV-Swift
cluster: Percolator through TiKV's Kv* RPCs, with client-rust's lock resolution.

The binding (0.0.4) exposes no lock TTL option, so the client that dies before commit is
played by a hand-encoded KvPrewrite with a 500 ms TTL (see common.prewrite_and_die).

Usage: python tikv_client_txn.py PD_HOST:PORT"""

import asyncio
import time

from tikv_client import TransactionClient

from common import PD, Checks, expect, memcomparable, pd_address, prewrite_and_die

address = pd_address()
checks = Checks("tikv-client transactions")
pd = PD(address)
prefix = b"tikv-client-txn/"
end = prefix + b"\xff"


def key(name) -> bytes:
    return prefix + (name if isinstance(name, bytes) else b"%05d" % name)


client = None
with checks.case("connect through PD"):
    client = TransactionClient.connect([address])
if client is None:
    checks.finish()


def read(k: bytes):
    txn = client.begin()
    try:
        return txn.get(k)
    finally:
        txn.rollback()


with checks.case("optimistic: put two keys, commit, read them back"):
    txn = client.begin()
    txn.put(key(b"a"), b"1")
    txn.put(key(b"b"), b"2")
    expect(txn.get(key(b"a")) == b"1", "a transaction reads its own writes")
    txn.commit()
    expect(read(key(b"a")) == b"1" and read(key(b"b")) == b"2", "committed values")

with checks.case("delete in a transaction"):
    txn = client.begin()
    txn.delete(key(b"b"))
    txn.commit()
    expect(read(key(b"b")) is None, "b is gone")

with checks.case("conflicting transactions: the second to commit fails"):
    first, second = client.begin(), client.begin()
    first.put(key(b"c"), b"first")
    second.put(key(b"c"), b"second")
    first.commit()
    try:
        second.commit()
        failed = False
    except Exception as error:  # the binding raises a plain Exception for a write conflict
        print(f"     second commit refused: {error}")
        failed = True
    expect(failed, "the second commit must fail with a write conflict")
    expect(read(key(b"c")) == b"first", "the first transaction's value stands")

with checks.case("rollback leaves nothing behind"):
    txn = client.begin()
    txn.put(key(b"c"), b"rolled back")
    txn.put(key(b"d"), b"rolled back")
    txn.rollback()
    expect(read(key(b"c")) == b"first" and read(key(b"d")) is None, "values unchanged")

with checks.case("snapshot read at an old timestamp"):
    txn = client.begin()
    txn.put(key(b"e"), b"old")
    txn.commit()
    old = client.current_timestamp()
    txn = client.begin()
    txn.put(key(b"e"), b"new")
    txn.commit()
    expect(client.snapshot(old, False).get(key(b"e")) == b"old", "the snapshot sees the old value")
    expect(read(key(b"e")) == b"new", "a new transaction sees the new value")

with checks.case("a client prewrites and dies; the next one resolves its expired lock"):
    orphan = key(b"orphan")
    start_ts = prewrite_and_die(pd, orphan, b"never committed", ttl_ms=500)
    print(f"     prewrote {orphan!r} at start_ts {start_ts}, lock TTL 500 ms, then gave up")
    began = time.monotonic()
    expect(read(orphan) is None, "the dead transaction's write is not visible")
    print(f"     read resolved the lock after {time.monotonic() - began:.1f}s")
    txn = client.begin()
    txn.put(orphan, b"after")
    txn.commit()
    expect(read(orphan) == b"after", "the key is writable again")

count = 300
with checks.case(f"one transaction writes {count} keys; the range splits; a scan crosses regions"):
    txn = client.begin()
    for i in range(count):
        txn.put(key(i), b"value-%05d-" % i + b"z" * 200)
    txn.commit()
    print(f"     {pd.wait_for_regions(2, memcomparable(prefix), memcomparable(end))} regions over the prefix")
    txn = client.begin()
    pairs = list(txn.scan(key(0), key(count), count + 10))
    txn.rollback()
    expect([k for k, _ in pairs] == [key(i) for i in range(count)], f"scan saw {len(pairs)} keys")
    txn = client.begin()
    found = dict(txn.batch_get([key(i) for i in range(0, count, 9)]))
    txn.rollback()
    expect(len(found) == len(range(0, count, 9)), f"batch_get found {len(found)}")

with checks.case("pessimistic: lock keys, get_for_update, put, commit"):
    txn = client.begin(pessimistic=True)
    txn.lock_keys([key(b"p1")])
    current = txn.get_for_update(key(b"a"))
    expect(current == b"1", f"get_for_update read {current!r}")
    txn.put(key(b"p1"), b"locked then written")
    txn.put(key(b"a"), b"updated")
    txn.commit()
    expect(read(key(b"p1")) == b"locked then written", "p1 written")
    expect(read(key(b"a")) == b"updated", "a updated")

with checks.case("pessimistic rollback releases the locks"):
    txn = client.begin(pessimistic=True)
    txn.lock_keys([key(b"p2")])
    txn.rollback()
    other = client.begin()
    other.put(key(b"p2"), b"free")
    other.commit()
    expect(read(key(b"p2")) == b"free", "p2 writable after the rollback")

with checks.case("gc: resolve locks below a safe point, then move PD's GC safe point there"):
    # Not in the binding's Python wrapper (0.0.4); its compiled client has it.
    safe_point = client.current_timestamp()

    async def gc():  # the compiled call needs a running event loop
        return await client.inner.inner.gc(safe_point)

    asyncio.get_event_loop().run_until_complete(gc())
    moved_to = pd.gc_safe_point()
    expect(moved_to >= safe_point, f"PD's safe point {moved_to} < {safe_point}")

checks.finish()
