#!/usr/bin/env bash
# Regenerates the Swift code for proto/*.proto (TinyKV's protocol): messages into
# Sources/TinyKVProto, grpc-swift 2 service stubs into Sources/TinyKVGRPC; and for proto/tikv/*.proto
# (the subset of TiKV's kvproto the cluster also serves) into Sources/TiKVProto and Sources/TiKVGRPC;
# and for proto/tipb/*.proto (TinySQL's coprocessor protocol) into Sources/TipbProto. The output is committed; a normal build never runs this.
# Needs protoc (Debian: protobuf-compiler); the two plugins build from the package's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v protoc >/dev/null; then
  echo "protoc not found: apt-get install -y protobuf-compiler" >&2
  exit 1
fi

swift build --product protoc-gen-swift
swift build --product protoc-gen-grpc-swift-2
bin=$(swift build --show-bin-path)

messages=Sources/TinyKVProto/Generated
services=Sources/TinyKVGRPC/Generated
rm -rf "$messages" "$services"
mkdir -p "$messages" "$services"

protos=(proto/*.proto)
protoc --proto_path=proto \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --swift_out="$messages" --swift_opt=Visibility=Public \
  "${protos[@]}"

# Only two files define services; their stubs live in a module of their own so that code that
# needs just the messages (the Raft library, the MVCC layer) does not link the RPC stack.
protoc --proto_path=proto \
  --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
  --grpc-swift-2_out="$services" \
  --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,ExtraModuleImports=TinyKVProto \
  proto/tinykvpb.proto proto/schedulerpb.proto

echo "TinyKV: $(ls "$messages" | wc -l) message files, $(ls "$services" | wc -l) service files"

# TiKV's protocol: its package names (kvrpcpb, metapb, errorpb) are TinyKV's too, so it gets
# modules of its own, and `swift_prefix` options give its Swift types a TiKV prefix.
tikv_messages=Sources/TiKVProto/Generated
tikv_services=Sources/TiKVGRPC/Generated
rm -rf "$tikv_messages" "$tikv_services"
mkdir -p "$tikv_messages" "$tikv_services"
protoc --proto_path=proto/tikv \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --swift_out="$tikv_messages" --swift_opt=Visibility=Public \
  proto/tikv/*.proto
protoc --proto_path=proto/tikv \
  --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
  --grpc-swift-2_out="$tikv_services" \
  --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,ExtraModuleImports=TiKVProto \
  proto/tikv/tikvpb.proto proto/tikv/pdpb.proto
echo "TiKV: $(ls "$tikv_messages" | wc -l) message files, $(ls "$tikv_services" | wc -l) service files"

# TinySQL's coprocessor protocol (pingcap/tipb's package `tipb`, the subset the coprocessor
# reads; scripts/check-tipb-proto.py compares it with upstream): messages only, no services.
tipb_messages=Sources/TipbProto/Generated
rm -rf "$tipb_messages"
mkdir -p "$tipb_messages"
protoc --proto_path=proto/tipb \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --swift_out="$tipb_messages" --swift_opt=Visibility=Public \
  proto/tipb/*.proto
echo "tipb: $(ls "$tipb_messages" | wc -l) message files"
