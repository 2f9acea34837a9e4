#!/usr/bin/env bash
# Compares TinyKV's proto/kvrpcpb.proto with pingcap/kvproto's, message by message: for every
# message and enum both define, whether each of our fields (values) has kvproto's name and type
# under the same number, and which of kvproto's numbers we lack. What the kvproto adapter can
# convert by serialising is what prints IDENTICAL (docs/TRANSACTIONS.md, "For the kvproto
# adapter"). Needs protoc and python3.
#
#   scripts/kvproto-wire-diff.sh /path/to/kvproto-checkout
set -euo pipefail
cd "$(dirname "$0")/.."
kvproto=${1:?usage: $0 /path/to/kvproto-checkout}
descriptor=$(find /usr/include /usr/local/include -path '*google/protobuf/descriptor.proto' \
  2>/dev/null | head -1)
include=${descriptor%/google/protobuf/descriptor.proto}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

decode() {
  protoc -I "$include" --decode=google.protobuf.FileDescriptorSet google/protobuf/descriptor.proto
}
protoc -I "$kvproto/proto" -I "$kvproto/include" --include_imports \
  --descriptor_set_out=/dev/stdout "$kvproto/proto/kvrpcpb.proto" | decode >"$work/theirs.txt"
protoc -I proto --include_imports --descriptor_set_out=/dev/stdout proto/kvrpcpb.proto \
  | decode >"$work/ours.txt"

python3 - "$work/ours.txt" "$work/theirs.txt" <<'PY'
import sys

def tree(path):
    """The text-format descriptor set as nested nodes."""
    root = {"kind": "", "children": [], "attrs": {}, "parent": None}
    node = root
    for line in open(path).read().split("\n"):
        line = line.strip()
        if line.endswith("{"):
            child = {"kind": line[:-1].strip(), "children": [], "attrs": {}, "parent": node}
            node["children"].append(child)
            node = child
        elif line == "}":
            node = node["parent"]
        elif ":" in line:
            key, value = line.split(":", 1)
            node["attrs"].setdefault(key.strip(), value.strip().strip('"'))
    return root

def definitions(root):
    """kvrpcpb's messages (number -> (name, type, type name)) and enums (number -> name)."""
    found = {}
    def walk(node, prefix):
        for child in node["children"]:
            if child["kind"] in ("message_type", "nested_type"):
                name = prefix + child["attrs"]["name"]
                fields = {}
                for field in child["children"]:
                    if field["kind"] == "field":
                        a = field["attrs"]
                        fields[int(a["number"])] = (
                            a["name"], a["type"], a.get("type_name", "").replace(".kvrpcpb.", ""))
                found[name] = fields
                walk(child, name + ".")
            elif child["kind"] == "enum_type":
                name = prefix + child["attrs"]["name"]
                found[name] = {int(v["attrs"]["number"]): v["attrs"]["name"]
                               for v in child["children"] if v["kind"] == "value"}
    for file in root["children"]:
        if file["kind"] == "file" and file["attrs"].get("package") == "kvrpcpb":
            walk(file, "")
    return found

ours, theirs = definitions(tree(sys.argv[1])), definitions(tree(sys.argv[2]))
for name in sorted(set(ours) & set(theirs)):
    differences = [f"{number}: ours {mine}, kvproto {theirs[name].get(number)}"
                   for number, mine in sorted(ours[name].items())
                   if theirs[name].get(number) != mine]
    def label(value):
        return value if isinstance(value, str) else value[0]
    lacking = [f"{number} {label(theirs[name][number])}"
               for number in sorted(set(theirs[name]) - set(ours[name]))]
    verdict = "IDENTICAL" if not differences else "DIFFERS"
    print(f"{name}: {verdict}")
    for line in differences:
        print(f"    {line}")
    if lacking:
        print(f"    kvproto only: {', '.join(lacking)}")
print(f"only in TinyKV: {', '.join(sorted(set(ours) - set(theirs)))}")
PY
