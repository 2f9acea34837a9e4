#!/usr/bin/env python3
"""Checks proto/tikv/*.proto against the kvproto descriptors another project ships.

An independent check of the promise that our TiKV protocol files keep kvproto's names, numbers
and types: `tikv-python` (PyPI) carries generated descriptors of kvproto's `kvrpcpb`, `metapb`,
`errorpb` and `pdpb`, made from pingcap/kvproto by its own authors. Every message, field, enum
and enum value that both sides define must agree: same field number and type for the same name,
and no number used for two different names. Exits 1 on the first mismatch list, 0 when all
agree, 2 when the package is not installed.

Usage: check-tikv-proto.py [proto dir, default proto/tikv]
"""

import pathlib
import re
import sys

try:
    from google.protobuf import descriptor
    import tikv._proto.errorpb_pb2 as errorpb
    import tikv._proto.kvrpcpb_pb2 as kvrpcpb
    import tikv._proto.metapb_pb2 as metapb
    import tikv._proto.pdpb_pb2 as pdpb
except ImportError as error:
    print(f"check-tikv-proto: tikv-python is not installed ({error})", file=sys.stderr)
    sys.exit(2)

SCALARS = {
    descriptor.FieldDescriptor.TYPE_DOUBLE: "double",
    descriptor.FieldDescriptor.TYPE_FLOAT: "float",
    descriptor.FieldDescriptor.TYPE_INT64: "int64",
    descriptor.FieldDescriptor.TYPE_UINT64: "uint64",
    descriptor.FieldDescriptor.TYPE_INT32: "int32",
    descriptor.FieldDescriptor.TYPE_FIXED64: "fixed64",
    descriptor.FieldDescriptor.TYPE_FIXED32: "fixed32",
    descriptor.FieldDescriptor.TYPE_BOOL: "bool",
    descriptor.FieldDescriptor.TYPE_STRING: "string",
    descriptor.FieldDescriptor.TYPE_BYTES: "bytes",
    descriptor.FieldDescriptor.TYPE_UINT32: "uint32",
    descriptor.FieldDescriptor.TYPE_SFIXED32: "sfixed32",
    descriptor.FieldDescriptor.TYPE_SFIXED64: "sfixed64",
    descriptor.FieldDescriptor.TYPE_SINT32: "sint32",
    descriptor.FieldDescriptor.TYPE_SINT64: "sint64",
}


def their_type(field):
    """The field's type as a .proto file spells it, fully qualified for messages and enums."""
    if field.type in SCALARS:
        kind = SCALARS[field.type]
    elif field.message_type is not None:
        if field.message_type.GetOptions().map_entry:
            key, value = field.message_type.fields
            return f"map<{their_type(key)}, {their_type(value)}>"
        kind = field.message_type.full_name
    else:
        kind = field.enum_type.full_name
    repeated = field.is_repeated if hasattr(field, "is_repeated") else (
        field.label == descriptor.FieldDescriptor.LABEL_REPEATED
    )
    return ("repeated " if repeated else "") + kind


def their_definitions():
    """Full name -> ("message", {name: (number, type)}) or ("enum", {name: number})."""
    found = {}

    def visit_enum(enum):
        found[enum.full_name] = ("enum", {v.name: v.number for v in enum.values})

    def visit_message(message):
        fields = {f.name: (f.number, their_type(f)) for f in message.fields}
        found[message.full_name] = ("message", fields)
        for nested in message.nested_types:
            if not nested.GetOptions().map_entry:
                visit_message(nested)
        for enum in message.enum_types:
            visit_enum(enum)

    for module in (errorpb, kvrpcpb, metapb, pdpb):
        for message in module.DESCRIPTOR.message_types_by_name.values():
            visit_message(message)
        for enum in module.DESCRIPTOR.enum_types_by_name.values():
            visit_enum(enum)
    return found


TOKEN = re.compile(r"map<[^>]*>|[A-Za-z_][A-Za-z0-9_.]*|-?\d+|[{}=;<>,\[\]()\"]")


def our_definitions(directory):
    """Parses the simple proto3 we write (messages, enums, fields, reserved, options)."""
    found = {}
    for path in sorted(pathlib.Path(directory).glob("*.proto")):
        text = re.sub(r"//[^\n]*", "", path.read_text())
        text = re.sub(r"\[[^\]]*\]", "", text)  # field options such as [deprecated = true]
        package = re.search(r"\bpackage\s+([\w.]+)\s*;", text).group(1)
        tokens = TOKEN.findall(text)
        parse_block(tokens, 0, package, package, found, None)
    return found


def parse_block(tokens, index, package, scope, found, current):
    """Parses declarations until the closing brace; returns the index after it."""
    while index < len(tokens):
        token = tokens[index]
        if token == "}":
            return index + 1
        if token in ("message", "enum"):
            name = tokens[index + 1]
            full = f"{scope}.{name}"
            body = {}
            found[full] = (token, body)
            index = parse_block(tokens, index + 3, package, full, found, (token, body, package, full))
            continue
        if token in ("syntax", "package", "import", "option", "reserved", "rpc", "returns"):
            while tokens[index] != ";":
                index += 1
            index += 1
            continue
        if token == "service":
            depth = 0
            while True:
                if tokens[index] == "{":
                    depth += 1
                elif tokens[index] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                index += 1
            index += 1
            continue
        if token == "oneof":
            index = parse_block(tokens, index + 3, package, scope, found, current)
            continue
        if current is None:
            index += 1
            continue
        kind, body, _, full = current
        if kind == "enum":  # NAME = NUMBER ;
            body[token] = int(tokens[index + 2])
            index += 4
            continue
        repeated = token == "repeated"
        if repeated:
            index += 1
        type_name, name, number = tokens[index], tokens[index + 1], int(tokens[index + 3])
        body[name] = (number, ("repeated " if repeated else "") + qualify(type_name, package, full, found))
        index += 5
    return index


def qualify(type_name, package, scope, found):
    """Resolves a type name the way protoc does (innermost scope first)."""
    if type_name in SCALARS.values():
        return type_name
    if type_name.startswith("map<"):
        key, value = [t.strip() for t in type_name[4:-1].split(",")]
        return f"map<{qualify(key, package, scope, found)}, {qualify(value, package, scope, found)}>"
    if "." in type_name:
        return type_name
    parts = scope.split(".")
    while parts:
        candidate = ".".join(parts + [type_name])
        if candidate in found or candidate in PENDING_NAMES:
            return candidate
        parts.pop()
    return f"{package}.{type_name}"


PENDING_NAMES = set()


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "proto/tikv"
    # First pass collects every declared name, so forward references resolve like protoc.
    for path in sorted(pathlib.Path(directory).glob("*.proto")):
        text = re.sub(r"//[^\n]*", "", path.read_text())
        package = re.search(r"\bpackage\s+([\w.]+)\s*;", text).group(1)
        collect_names(text, package)
    ours = our_definitions(directory)
    theirs = their_definitions()
    problems = []
    compared = 0
    for full, (kind, body) in sorted(ours.items()):
        if full not in theirs:
            continue
        their_kind, their_body = theirs[full]
        if kind != their_kind:
            problems.append(f"{full}: ours is a {kind}, kvproto's a {their_kind}")
            continue
        compared += 1
        their_names_by_number = {}
        for name, value in their_body.items():
            number = value if kind == "enum" else value[0]
            their_names_by_number.setdefault(number, name)
        for name, value in body.items():
            number = value if kind == "enum" else value[0]
            if name in their_body and their_body[name] != value:
                problems.append(f"{full}.{name}: ours {value}, kvproto's {their_body[name]}")
            elif name not in their_body and number in their_names_by_number:
                other = their_names_by_number[number]
                problems.append(f"{full}.{name} = {number}: kvproto has {other} = {number}")
    for problem in problems:
        print("mismatch:", problem)
    print(f"check-tikv-proto: {compared} messages and enums compared with tikv-python's kvproto, "
          f"{len(problems)} mismatches")
    sys.exit(1 if problems else 0)


def collect_names(text, package):
    """Records the full names of all messages and enums, nesting included."""
    stack = [package]
    for match in re.finditer(r"\b(message|enum|oneof|service)\s+(\w+)\s*{|{|}", text):
        if match.group(1):
            if match.group(1) in ("message", "enum"):
                stack.append(match.group(2))
                PENDING_NAMES.add(".".join(stack))
            else:
                stack.append(None)
        elif match.group(0) == "{":
            stack.append(None)
        else:
            stack.pop()


if __name__ == "__main__":
    main()
