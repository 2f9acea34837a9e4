"""tikv-python (pure Python, raw API) against a TinyKV-Swift cluster.

Usage: python tikv_python_raw.py PD_HOST:PORT"""

import tikv

from common import PD, Checks, expect, pd_address, single_key_round_trip

address = pd_address()
checks = Checks("tikv-python raw")
pd = PD(address)
prefix = b"tikv-python/"


def key(i: int) -> bytes:
    return prefix + b"%05d" % i


def value(i: int, round: int = 1) -> bytes:
    return b"value-%05d-%d-" % (i, round) + b"x" * 200


with tikv.RawClient([address]) as client:
    with checks.case("put, get, overwrite, delete one key"):
        single_key_round_trip(client, key(0))
        expect(client.get(prefix + b"never-written") is None, "get of a missing key")

    count = 400
    with checks.case(f"batch put of {count} keys (about {count * 215 // 1024} KiB)"):
        client.put_many({key(i): value(i) for i in range(count)})

    with checks.case("the writes split the key range into several regions"):
        regions = pd.wait_for_regions(3, prefix, prefix + b"\xff")
        print(f"     {regions} regions over the prefix")
        # Splits go on for a while after the first ones; the checks below are about crossing
        # region boundaries, not about a cache going stale mid-scan (docs/TIKV-PROTOCOL.md).
        settled = pd.wait_for_settled_regions(prefix, prefix + b"\xff")
        print(f"     settled at {settled} regions")

    with checks.case("batch get across regions"):
        wanted = [key(i) for i in range(0, count, 7)] + [prefix + b"missing"]
        found = client.get_many(wanted)
        expect(len(found) == len(wanted) - 1, f"found {len(found)} of {len(wanted) - 1}")
        expect(all(found[key(i)] == value(i) for i in range(0, count, 7)), "values match")

    with checks.case("get of every key, each routed to its region"):
        for i in range(0, count, 13):
            expect(client.get(key(i)) == value(i), f"key {i}")

    with checks.case("scan across region boundaries"):
        pairs = list(client.scan(prefix, prefix + b"\xff"))
        expect([k for k, _ in pairs] == [key(i) for i in range(count)], f"scan saw {len(pairs)} keys in order")
        expect(all(v == value(i) for i, (_, v) in enumerate(pairs)), "scan values")

    with checks.case("scan with a limit and a bounded range"):
        pairs = list(client.scan(key(100), key(300), limit=150))
        expect([k for k, _ in pairs] == [key(i) for i in range(100, 250)], f"got {len(pairs)}")
        keys = list(client.scan_keys(key(10), key(20)))
        expect(keys == [key(i) for i in range(10, 20)], "scan_keys")

    with checks.case("reverse scan across region boundaries"):
        pairs = list(client.scan(prefix, prefix + b"\xff", reverse=True))
        expect([k for k, _ in pairs] == [key(i) for i in reversed(range(count))], f"saw {len(pairs)}")
        pairs = list(client.scan(key(50), key(350), limit=20, reverse=True))
        expect([k for k, _ in pairs] == [key(i) for i in range(349, 329, -1)], "bounded reverse scan")

    with checks.case("batch delete across regions"):
        client.delete_many([key(i) for i in range(0, count, 2)])
        keys = list(client.scan_keys(prefix, prefix + b"\xff"))
        expect(keys == [key(i) for i in range(1, count, 2)], f"{len(keys)} keys left")

    with checks.case("delete_range across region boundaries"):
        client.delete_range(key(101), key(301))
        keys = list(client.scan_keys(prefix, prefix + b"\xff"))
        expected = [key(i) for i in range(1, count, 2) if not 101 <= i < 301]
        expect(keys == expected, f"{len(keys)} keys left, expected {len(expected)}")
        client.delete_range(prefix=prefix)
        expect(list(client.scan_keys(prefix, prefix + b"\xff")) == [], "prefix emptied")

checks.finish()
