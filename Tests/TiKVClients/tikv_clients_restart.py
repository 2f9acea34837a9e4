"""TiKV's clients across the restart of a store: run in three phases by
EndToEndTests/TiKVClientsTests, which kills the store leading the most regions (kill -9)
between `write` and `down`, and restarts it between `down` and `up`.

- write: tikv-python and tikv-client (raw) write raw keys; tikv-client commits transactions.
- down:  with that store dead (and its regions led elsewhere), every value is read back, and
         raw writes and transactions still commit.
- up:    after the restart, every value (the first and the second round) is read back, and a
         new transaction commits.

Usage: python tikv_clients_restart.py PD_HOST:PORT write|down|up"""

import sys

import tikv
from tikv_client import RawClient, TransactionClient

from common import PD, Checks, expect, pd_address

address = pd_address()
phase = sys.argv[2]
checks = Checks(f"TiKV's clients, restart phase {phase}")
pd = PD(address)
# Raw and transactional data share this cluster, so raw data must not decide a split: a region
# boundary at a raw key is no memcomparable encoding, and client-rust's transactional client
# fails to decode it ("invalid key padding"; TiKV's API V1 has the same limit). The raw keys sort
# after every encoded transactional key and stay few; the transactional writes make the splits.
raw_prefix = b"zz-restart-raw/"
txn_prefix = b"restart-txn/"
raw_count = 20
count = 150


def raw_key(i: int) -> bytes:
    return raw_prefix + b"%05d" % i


def txn_key(i: int) -> bytes:
    return txn_prefix + b"%05d" % i


def raw_value(i: int, round: int) -> bytes:
    return b"raw-%d-%05d-" % (round, i) + b"x" * 60


def txn_value(i: int, round: int) -> bytes:
    return b"txn-%d-%05d-" % (round, i) + b"y" * 400


def write_round(round: int) -> None:
    """Raw keys [round*raw_count, (round+1)*raw_count) through both clients; the transactional
    keys 0 ..< count all (over)written at `round` in transactions of 25 keys."""
    first = round * raw_count
    with checks.case(f"round {round}: tikv-python writes raw keys"):
        with tikv.RawClient(address) as db:
            db.put_many({raw_key(i): raw_value(i, round) for i in range(first, first + raw_count // 2)})
    with checks.case(f"round {round}: tikv-client writes raw keys"):
        client = RawClient.connect([address])
        client.batch_put(
            {raw_key(i): raw_value(i, round) for i in range(first + raw_count // 2, first + raw_count)}
        )
    with checks.case(f"round {round}: tikv-client commits transactions"):
        client = TransactionClient.connect([address])
        for batch in range(0, count, 25):
            txn = client.begin()
            for i in range(batch, batch + 25):
                txn.put(txn_key(i), txn_value(i, round))
            txn.commit()


def read_back(rounds: int) -> None:
    """Every raw key of the first `rounds` rounds and the transactional keys at the last one."""
    expected = {raw_key(i): raw_value(i, i // raw_count) for i in range(rounds * raw_count)}
    with checks.case(f"tikv-python reads the raw keys of {rounds} round(s)"):
        with tikv.RawClient(address) as db:
            found = db.get_many(list(expected))
        expect(found == expected, f"{sum(found.get(k) == v for k, v in expected.items())} of {len(expected)} values")
    with checks.case(f"tikv-client reads the raw keys of {rounds} round(s)"):
        client = RawClient.connect([address])
        found = dict(client.batch_get(list(expected)))
        expect(found == expected, f"{sum(found.get(k) == v for k, v in expected.items())} of {len(expected)} values")
    with checks.case("tikv-client reads the transactional keys in one snapshot"):
        client = TransactionClient.connect([address])
        txn = client.begin()
        pairs = list(txn.scan(txn_key(0), txn_key(count), count + 10))
        txn.rollback()
        want = [(txn_key(i), txn_value(i, rounds - 1)) for i in range(count)]
        expect(pairs == want, f"{sum(p == w for p, w in zip(pairs, want))} of {count} pairs as of round {rounds - 1}")


if phase == "write":
    write_round(0)
    with checks.case("the writes split the key space"):
        regions = pd.wait_for_settled_regions()
        expect(regions >= 3, f"{regions} regions")
elif phase == "down":
    read_back(1)
    write_round(1)
    read_back(2)
elif phase == "up":
    read_back(2)
    write_round(2)
    read_back(3)
else:
    raise SystemExit(f"unknown phase {phase!r}: write, down or up")

checks.finish()
