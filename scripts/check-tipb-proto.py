#!/usr/bin/env python3
"""Checks proto/tipb against pingcap/tipb's own files, field by field.

Our copies keep tipb's package, message, field and enum names, numbers, labels and types, and
leave out what the store does not use. This compiles both with protoc (upstream's gogoproto
options stripped first: they change Go code only) and reports, for every message, field, enum
and value in ours, any difference from upstream's, and anything of ours that upstream lacks.

usage: scripts/check-tipb-proto.py UPSTREAM_PROTO_DIR
  UPSTREAM_PROTO_DIR: tipb's proto/ folder at the pinned commit c4d518eb1d60, e.g. from a
  checkout: git -C tipb archive c4d518eb1d60 proto | tar -x -C /tmp/tipb
Needs protoc (Debian: protobuf-compiler) and Python's protobuf package.
"""
import pathlib
import re
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

OURS = pathlib.Path(__file__).resolve().parent.parent / "proto" / "tipb"

# What ours has that the pinned upstream lacks: upstream added it later (tipb 148bc71, "support
# push down projection", for the `Projection` message the pin already has) under these names
# and numbers, so a newer client speaks it unchanged.
LATER_UPSTREAM = {
    ".tipb.Executor.Projection",
    ".tipb.ExecType.TypeProjection",
}


def descriptors(folder: pathlib.Path, files):
    """The FileDescriptorSet protoc makes of `files` in `folder`."""
    with tempfile.NamedTemporaryFile(suffix=".pb") as out:
        subprocess.run(
            ["protoc", f"--proto_path={folder}", f"--descriptor_set_out={out.name}",
             "--include_imports", *files],
            check=True)
        result = descriptor_pb2.FileDescriptorSet()
        result.ParseFromString(pathlib.Path(out.name).read_bytes())
        return result


def strip_gogoproto(source: str) -> str:
    """`source` without gogoproto's import, file options and field options."""
    source = re.sub(r'import\s+"gogoproto/gogo.proto";', "", source)
    source = re.sub(r"option\s+\(gogoproto\.[^;]*;", "", source)
    return re.sub(r"\[\s*\(gogoproto\.[^\]]*\]", "", source)


def index(file_set):
    """Messages (by full name: {field name: (number, label, type, type name)}) and enums (by
    full name: {value name: number}), nested ones included."""
    messages, enums = {}, {}

    def visit(prefix, message):
        name = f"{prefix}.{message.name}"
        messages[name] = {
            f.name: (f.number, f.label, f.type, f.type_name) for f in message.field}
        for nested in message.nested_type:
            visit(name, nested)
        for enum in message.enum_type:
            enums[f"{name}.{enum.name}"] = {v.name: v.number for v in enum.value}

    for file in file_set.file:
        for message in file.message_type:
            visit(f".{file.package}", message)
        for enum in file.enum_type:
            enums[f".{file.package}.{enum.name}"] = {v.name: v.number for v in enum.value}
    return messages, enums


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    upstream_dir = pathlib.Path(sys.argv[1])
    ours_files = sorted(p.name for p in OURS.glob("*.proto"))
    missing = [name for name in ours_files if not (upstream_dir / name).exists()]
    if missing:
        print(f"check-tipb-proto: {upstream_dir} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as stripped:
        for source in upstream_dir.glob("*.proto"):
            (pathlib.Path(stripped) / source.name).write_text(strip_gogoproto(source.read_text()))
        upstream = index(descriptors(pathlib.Path(stripped), ours_files))
    ours = index(descriptors(OURS, ours_files))

    problems = []
    for name, fields in ours[0].items():
        theirs = upstream[0].get(name)
        if theirs is None:
            if f"message {name}" not in LATER_UPSTREAM:
                problems.append(f"message {name}: not in upstream")
            continue
        for field, shape in fields.items():
            if f"{name}.{field}" in LATER_UPSTREAM:
                continue
            if field not in theirs:
                problems.append(f"{name}.{field}: not in upstream")
            elif theirs[field] != shape:
                problems.append(f"{name}.{field}: ours {shape}, upstream {theirs[field]}")
    for name, values in ours[1].items():
        theirs = upstream[1].get(name)
        if theirs is None:
            problems.append(f"enum {name}: not in upstream")
            continue
        for value, number in values.items():
            if f"{name}.{value}" in LATER_UPSTREAM:
                continue
            if theirs.get(value) != number:
                problems.append(f"{name}.{value} = {number}: upstream has {theirs.get(value)}")
    for problem in problems:
        print(f"check-tipb-proto: {problem}", file=sys.stderr)
    fields = sum(len(f) for f in ours[0].values())
    values = sum(len(v) for v in ours[1].values())
    if problems:
        print(f"check-tipb-proto: {len(problems)} difference(s)", file=sys.stderr)
        return 1
    print(f"check-tipb-proto: {len(ours[0])} messages ({fields} fields) and {len(ours[1])} enums "
          f"({values} values) match upstream; {len(LATER_UPSTREAM)} later additions of upstream's "
          "are ours too")
    return 0


if __name__ == "__main__":
    sys.exit(main())
