#!/usr/bin/env python3
"""Writes a gRPC-framed TinyKV request body for h2load, addressed to one region's leader.

usage: tinykv_body.py rawput|rawget OUT REGION_ID VERSION CONF_VER PEER_ID STORE_ID

The request carries a kvrpcpb.Context (region_id = 1, region_epoch = 2 {conf_ver = 1,
version = 2}, peer = 3 {id = 1, store_id = 2}), a 16-byte key and (RawPut) a 100-byte value,
the shapes of ../shared/bench/grpc_body.py's etcd bodies. No write session: every request is
a plain write, as TinyKV's own clients send.
"""
import struct
import sys


def varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    """A length-delimited field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def number(field_number, value):
    """A varint field."""
    return varint(field_number << 3) + varint(value)


if len(sys.argv) != 8 or sys.argv[1] not in ("rawput", "rawget"):
    raise SystemExit(__doc__)
kind, out = sys.argv[1], sys.argv[2]
region, version, conf_ver, peer, store = (int(x) for x in sys.argv[3:])
epoch = number(1, conf_ver) + number(2, version)
context = number(1, region) + field(2, epoch) + field(3, number(1, peer) + number(2, store))
message = field(1, context) + field(2, b"k" * 16)
if kind == "rawput":
    message += field(3, b"v" * 100)
with open(out, "wb") as f:
    f.write(b"\x00" + struct.pack(">I", len(message)) + message)
