import Client
import Foundation
import TestSupport
import Testing

/// `tinykv-server --config FILE`: settings from a TOML file, flags over it, typos refused.
@Suite("tinykv-server configuration file", .serialized)
struct ServerConfigFileTests {
  @Test("the file's address, folder and RocksDB sizes are used; flags override the file")
  func fileAndFlags() async throws {
    let dir = try TemporaryDirectory("config")
    let port = try FreePort.allocate()
    let file = dir.appending("tinykv.toml")
    try """
    addr = "127.0.0.1:1"
    path = "\(dir.appending("from-file"))"
    log-level = "debug"
    [rocksdb]
    block-cache-size = "8MiB"
    write-buffer-size = "2MiB"
    background-threads = 1
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let server = try ServerProcess(
      product: "tinykv-server",
      arguments: [
        "--standalone", "--config", file, "--addr", "127.0.0.1:\(port)", "--status-addr", "",
      ],
      port: port, logPath: dir.appending("server.log"))
    defer { _ = server.stop() }
    try await server.waitUntilListening()
    try await RawKVClient.connect(to: HostAndPort(host: "127.0.0.1", port: port)) { client in
      try await client.put(Data("k".utf8), Data("v".utf8))
      #expect(try await client.get(Data("k".utf8)) == Data("v".utf8))
    }
    #expect(FileManager.default.fileExists(atPath: dir.appending("from-file")))
    #expect(server.log().contains("config=\(file)"))
  }

  @Test("an unknown or malformed setting stops the server with a message naming it")
  func badSettingsRefused() throws {
    let dir = try TemporaryDirectory("config")
    let cases = [
      ("[rocksdb]\nwrite-bufer-size = \"1MiB\"\n", "unknown setting: rocksdb.write-bufer-size"),
      ("max-request-bytes = \"lots\"\n", "max-request-bytes must be a size"),
      ("addr = \"127.0.0.1\n", "line 1"),
      ("[raftstore]\nraft-heartbeat-ticks = 20\n", "raft-heartbeat-ticks must be below"),
      ("[raftstore]\nraft-base-tick-interval = \"soon\"\n", "raftstore.raft-base-tick-interval"),
    ]
    for (index, (text, message)) in cases.enumerated() {
      let file = dir.appending("bad-\(index).toml")
      try text.write(toFile: file, atomically: true, encoding: .utf8)
      let server = try ServerProcess(
        product: "tinykv-server", arguments: ["--standalone", "--config", file], port: 0,
        logPath: dir.appending("bad-\(index).log"))
      #expect(server.waitForExit() != 0)
      #expect(server.log().contains(message), "log of case \(index): \(server.log())")
    }
  }
}
