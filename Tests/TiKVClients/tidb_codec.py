"""TiDB's data layout as TinySQL writes it, in Python, written from TinySQL's Go sources (not
from this repository's Swift codec), for tinysql_dag.py:

- util/codec/number.go: comparable 8-byte integers and floats, Go's varints;
- util/codec/bytes.go: memcomparable and compact byte strings;
- util/codec/codec.go: datums in key form (EncodeKey) and value form (EncodeValue);
- tablecodec/tablecodec.go: record keys `t{table}_r{handle}`, index keys `t{table}_i{index}...`;
- table/tables/index.go: index entries (unique: handle in the value; otherwise in the key);
- util/rowcodec/: rows in the new format (version byte 128).

Datums are Python values: None (NULL), int (a signed int64), `Uint` (an unsigned uint64),
float, bytes (strings and byte strings)."""

from __future__ import annotations

import struct

SIGN_MASK = 1 << 63
U64 = (1 << 64) - 1

# Datum flags (util/codec/codec.go).
NIL_FLAG = 0
BYTES_FLAG = 1
COMPACT_BYTES_FLAG = 2
INT_FLAG = 3
UINT_FLAG = 4
FLOAT_FLAG = 5
VARINT_FLAG = 8
UVARINT_FLAG = 9
MAX_FLAG = 250

ROW_CODEC_VERSION = 128


class Uint(int):
    """An unsigned (uint64) datum, as opposed to a plain int, which is a signed int64."""


# -- Numbers (number.go) -------------------------------------------------------------------


def encode_int(value: int) -> bytes:
    """EncodeInt: big-endian with the sign bit flipped, so the bytes sort as the numbers do."""
    return ((value & U64) ^ SIGN_MASK).to_bytes(8, "big")


def decode_int(data: bytes) -> int:
    """DecodeInt of the first 8 bytes."""
    unsigned = int.from_bytes(data[:8], "big") ^ SIGN_MASK
    return unsigned - (1 << 64) if unsigned & SIGN_MASK else unsigned


def encode_uint(value: int) -> bytes:
    """EncodeUint: 8 big-endian bytes."""
    return (value & U64).to_bytes(8, "big")


def encode_float(value: float) -> bytes:
    """EncodeFloat: the IEEE bits with the sign bit set when non-negative, all bits inverted
    when negative."""
    bits = struct.unpack(">Q", struct.pack(">d", value))[0]
    bits = bits | SIGN_MASK if value >= 0 else ~bits & U64
    return bits.to_bytes(8, "big")


def decode_float(data: bytes) -> float:
    """DecodeFloat of the first 8 bytes."""
    bits = int.from_bytes(data[:8], "big")
    bits = bits & ~SIGN_MASK if bits & SIGN_MASK else ~bits & U64
    return struct.unpack(">d", bits.to_bytes(8, "big"))[0]


def encode_uvarint(value: int) -> bytes:
    """Go's binary.PutUvarint."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_varint(value: int) -> bytes:
    """Go's binary.PutVarint: zigzag, then a uvarint."""
    return encode_uvarint(((value << 1) ^ (value >> 63)) & U64)


def decode_uvarint(data: bytes, index: int = 0) -> tuple[int, int]:
    """(value, index after it) of the uvarint at `index`."""
    value, shift = 0, 0
    while True:
        byte = data[index]
        index += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, index
        shift += 7


def decode_varint(data: bytes, index: int = 0) -> tuple[int, int]:
    """(value, index after it) of the zigzag varint at `index`."""
    zigzag, index = decode_uvarint(data, index)
    return (zigzag >> 1) ^ -(zigzag & 1), index


# -- Byte strings (bytes.go) ---------------------------------------------------------------


def encode_bytes(data: bytes) -> bytes:
    """EncodeBytes (memcomparable): groups of 8 bytes, the last padded with zeros, each followed
    by 0xFF minus its padding."""
    out = bytearray()
    for index in range(0, len(data) + 1, 8):
        group = data[index : index + 8]
        pad = 8 - len(group)
        out += group + b"\x00" * pad + bytes([0xFF - pad])
    return bytes(out)


def decode_bytes(data: bytes, index: int = 0) -> tuple[bytes, int]:
    """(value, index after it) of the memcomparable string at `index`; ValueError if it is not
    one."""
    out = bytearray()
    while True:
        group = data[index : index + 9]
        if len(group) < 9:
            raise ValueError(f"memcomparable bytes cut short at {index}: {data!r}")
        pad = 0xFF - group[8]
        if pad > 8:
            raise ValueError(f"bad memcomparable marker {group[8]:#x} in {data!r}")
        out += group[: 8 - pad]
        index += 9
        if pad:
            if any(group[8 - pad : 8]):
                raise ValueError(f"non-zero memcomparable padding in {data!r}")
            return bytes(out), index


def encode_compact_bytes(data: bytes) -> bytes:
    """EncodeCompactBytes: a zigzag varint length, then the bytes."""
    return encode_varint(len(data)) + data


# -- Datums (codec.go) ---------------------------------------------------------------------


def encode_key_datum(value) -> bytes:
    """One datum in key (comparable) form, as codec.EncodeKey writes it."""
    if value is None:
        return bytes([NIL_FLAG])
    if isinstance(value, Uint):
        return bytes([UINT_FLAG]) + encode_uint(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, bytes)):
        raise TypeError(f"no TiDB datum for {value!r}")
    if isinstance(value, int):
        return bytes([INT_FLAG]) + encode_int(value)
    if isinstance(value, float):
        return bytes([FLOAT_FLAG]) + encode_float(value)
    return bytes([BYTES_FLAG]) + encode_bytes(value)


def encode_value_datum(value) -> bytes:
    """One datum in value form, as codec.EncodeValue writes it (a column's default_val, a
    SelectResponse row's fields)."""
    if value is None:
        return bytes([NIL_FLAG])
    if isinstance(value, Uint):
        return bytes([UVARINT_FLAG]) + encode_uvarint(value)
    if isinstance(value, int):
        return bytes([VARINT_FLAG]) + encode_varint(value)
    if isinstance(value, float):
        return bytes([FLOAT_FLAG]) + encode_float(value)
    if isinstance(value, bytes):
        return bytes([COMPACT_BYTES_FLAG]) + encode_compact_bytes(value)
    raise TypeError(f"no TiDB datum for {value!r}")


def decode_datum(data: bytes, index: int = 0) -> tuple[object, int]:
    """(value, index after it) of the datum at `index`, in either form (codec.DecodeOne)."""
    flag = data[index]
    index += 1
    if flag == NIL_FLAG:
        return None, index
    if flag == INT_FLAG:
        return decode_int(data[index : index + 8]), index + 8
    if flag == UINT_FLAG:
        return Uint(int.from_bytes(data[index : index + 8], "big")), index + 8
    if flag == FLOAT_FLAG:
        return decode_float(data[index : index + 8]), index + 8
    if flag == VARINT_FLAG:
        return decode_varint(data, index)
    if flag == UVARINT_FLAG:
        value, index = decode_uvarint(data, index)
        return Uint(value), index
    if flag == BYTES_FLAG:
        return decode_bytes(data, index)
    if flag == COMPACT_BYTES_FLAG:
        length, index = decode_varint(data, index)
        if length < 0 or index + length > len(data):
            raise ValueError(f"compact bytes of length {length} cut short in {data!r}")
        return data[index : index + length], index + length
    raise ValueError(f"unknown datum flag {flag} at {index - 1} in {data!r}")


def decode_datums(data: bytes) -> list:
    """Every datum in `data`, one after another."""
    values, index = [], 0
    while index < len(data):
        value, index = decode_datum(data, index)
        values.append(value)
    return values


# -- Keys (tablecodec.go, index.go) --------------------------------------------------------


def record_prefix(table_id: int) -> bytes:
    """`t` + table id + `_r`."""
    return b"t" + encode_int(table_id) + b"_r"


def record_key(table_id: int, handle: int) -> bytes:
    """EncodeRowKeyWithHandle: `t{table}_r{handle}`, both comparable ints."""
    return record_prefix(table_id) + encode_int(handle)


def index_prefix(table_id: int, index_id: int) -> bytes:
    """`t` + table id + `_i` + index id."""
    return b"t" + encode_int(table_id) + b"_i" + encode_int(index_id)


def index_entry(table_id: int, index_id: int, values: list, handle: int, unique: bool) -> tuple[bytes, bytes]:
    """(key, value) of an index entry as index.Create writes it: a unique index whose values
    hold no NULL keeps the handle in the value (8 big-endian bytes); any other entry ends the
    key with the handle as one more datum and stores "0"."""
    key = index_prefix(table_id, index_id) + b"".join(encode_key_datum(v) for v in values)
    distinct = unique and all(v is not None for v in values)
    if distinct:
        return key, (handle & U64).to_bytes(8, "big")
    return key + encode_key_datum(handle), b"0"


def prefix_next(key: bytes) -> bytes:
    """kv.Key.PrefixNext: the smallest key after every key starting with `key`."""
    out = bytearray(key)
    for index in range(len(out) - 1, -1, -1):
        out[index] = (out[index] + 1) & 0xFF
        if out[index] != 0:
            return bytes(out)
    return bytes(key) + b"\x00"  # all 0xff: TiDB appends a zero byte


# -- Rows (rowcodec) -----------------------------------------------------------------------


def _encode_row_int(value: int) -> bytes:
    """rowcodec's encodeInt: the fewest of 1, 2, 4 or 8 little-endian bytes."""
    for size in (1, 2, 4, 8):
        if -(1 << (8 * size - 1)) <= value < 1 << (8 * size - 1):
            return (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    raise OverflowError(value)


def _encode_row_uint(value: int) -> bytes:
    for size in (1, 2, 4, 8):
        if value < 1 << (8 * size):
            return value.to_bytes(size, "little")
    raise OverflowError(value)


def _encode_row_datum(value) -> bytes:
    """EncodeValueDatum: ints compact little-endian, floats comparable, strings as they are."""
    if isinstance(value, Uint):
        return _encode_row_uint(value)
    if isinstance(value, int):
        return _encode_row_int(value)
    if isinstance(value, float):
        return encode_float(value)
    if isinstance(value, bytes):
        return value
    raise TypeError(f"no row datum for {value!r}")


def encode_row(columns: dict[int, object]) -> bytes:
    """rowcodec.Encoder.Encode of {column id: datum}: version 128, the large flag, the counts
    of not-null and null columns, the ids (not-null ascending, then null ascending), the
    not-null columns' end offsets, the data."""
    not_null = sorted(cid for cid, v in columns.items() if v is not None)
    null = sorted(cid for cid, v in columns.items() if v is None)
    data, ends = bytearray(), []
    for cid in not_null:
        data += _encode_row_datum(columns[cid])
        ends.append(len(data))
    large = any(cid > 255 for cid in columns) or len(data) >= 0xFFFF
    id_size, offset_size = (4, 4) if large else (1, 2)
    out = bytearray([ROW_CODEC_VERSION, 1 if large else 0])
    out += len(not_null).to_bytes(2, "little") + len(null).to_bytes(2, "little")
    for cid in not_null + null:
        out += cid.to_bytes(id_size, "little")
    for end in ends:
        out += end.to_bytes(offset_size, "little")
    return bytes(out + data)


def decode_row(row: bytes) -> dict[int, bytes | None]:
    """{column id: its raw bytes, or None for a NULL column} of a new-format row (used to
    check encode_row against itself)."""
    if row[0] != ROW_CODEC_VERSION:
        raise ValueError(f"row version {row[0]}, not {ROW_CODEC_VERSION}")
    large = bool(row[1] & 1)
    not_null = int.from_bytes(row[2:4], "little")
    null = int.from_bytes(row[4:6], "little")
    id_size, offset_size = (4, 4) if large else (1, 2)
    cursor = 6
    ids = [int.from_bytes(row[cursor + i * id_size : cursor + (i + 1) * id_size], "little") for i in range(not_null + null)]
    cursor += id_size * (not_null + null)
    ends = [int.from_bytes(row[cursor + i * offset_size : cursor + (i + 1) * offset_size], "little") for i in range(not_null)]
    data = row[cursor + offset_size * not_null :]
    out: dict[int, bytes | None] = {}
    start = 0
    for cid, end in zip(ids, ends):
        out[cid] = data[start:end]
        start = end
    for cid in ids[not_null:]:
        out[cid] = None
    return out
