"""What TiKV's clients learn from PD alone (no store request): members and cluster id,
timestamps, regions and store addresses. This passes on the scheduler by itself; the other
scripts need the stores' tikvpb.Tikv too.

tikv-python's PD lookups are internal API (`RawClient._pd`), pinned with the version.

Usage: python tikv_clients_pd.py PD_HOST:PORT"""

import time

import tikv
from tikv._backoff import Backoff
from tikv_client import RawClient, TransactionClient

from common import PD, Checks, expect, pd_address

address = pd_address()
checks = Checks("TiKV clients, PD side")
pd = PD(address)

with tikv.RawClient([address]) as client:
    lookups = client._pd

    with checks.case("tikv-python finds the first region (GetRegion on the empty key)"):
        region = lookups.region(b"", Backoff(10))
        expect(region.start == b"", f"the first region starts at {region.start!r}")
        expect(region.leader is not None, "the region has a leader")
        expect(lookups.cluster_id == pd.cluster_id != 0, f"cluster id {lookups.cluster_id}")

    with checks.case("tikv-python scans the regions (ScanRegions), which tile the key space"):
        regions = lookups.scan_regions(b"", b"", 100, Backoff(10))
        expect(len(regions) >= 1, "at least one region")
        expect(regions[0].start == b"" and regions[-1].end == b"", "from -inf to +inf")
        for before, after in zip(regions, regions[1:]):
            expect(before.end == after.start, f"regions {before.id} and {after.id} are adjacent")

    with checks.case("tikv-python finds the leader's store address (GetStore)"):
        store_address = lookups.store_address(region.leader.store_id, Backoff(10))
        host, _, port = store_address.rpartition(":")
        expect(host == "127.0.0.1" and port.isdigit(), f"dialable address {store_address!r}")

    with checks.case("tikv-python: the region an empty end key bounds is the last one"):
        expect(lookups.region_by_end(b"", Backoff(10)).end == b"", "the empty end is the last region")

with checks.case("tikv-client (client-rust) connects a raw client through PD"):
    RawClient.connect([address])

with checks.case("tikv-client's timestamps (Tso stream) increase and follow the wall clock"):
    transactions = TransactionClient.connect([address])
    stamps = [transactions.current_timestamp() for _ in range(20)]
    expect(stamps == sorted(set(stamps)), f"strictly increasing: {stamps[:3]}...")
    drift = abs((stamps[-1] >> 18) - time.time() * 1000)
    expect(drift < 10_000, f"physical part {stamps[-1] >> 18} is {drift:.0f} ms off the wall clock")
    transactions.snapshot(stamps[0], False)

checks.finish()
