import ConfigFile
import Testing

@Suite struct ConfigTableTests {
  @Test func typedValuesAndTables() throws {
    let file = try ConfigTable(
      toml: """
        addr = "127.0.0.1:20160"
        verbose = true
        threads = 4
        [raftstore]
        tick = "100ms"
        timeout = "10s"
        gc = "5m"
        plain-millis = 250
        [rocksdb]
        cache = "64MiB"
        buffer = "512KB"
        raw = 4096
        """)
    #expect(try file.string("addr") == "127.0.0.1:20160")
    #expect(try file.bool("verbose") == true)
    #expect(try file.int("threads") == 4)
    #expect(try file.string("absent") == nil)
    let raftstore = try #require(try file.table("raftstore"))
    #expect(try raftstore.duration("tick") == .milliseconds(100))
    #expect(try raftstore.duration("timeout") == .seconds(10))
    #expect(try raftstore.duration("gc") == .seconds(300))
    #expect(try raftstore.duration("plain-millis") == .milliseconds(250))
    let rocksdb = try #require(try file.table("rocksdb"))
    #expect(try rocksdb.bytes("cache") == 64 << 20)
    #expect(try rocksdb.bytes("buffer") == 512 << 10)
    #expect(try rocksdb.bytes("raw") == 4096)
    #expect(file.unknownKeys().isEmpty)
    try file.rejectUnknownKeys()
  }

  @Test func unknownKeysAreNamedWithTheirTable() throws {
    let file = try ConfigTable(
      toml: """
        addr = "a"
        adr = "typo"
        [raftstore]
        tick = "1s"
        tikc = "1s"
        [unheard-of]
        x = 1
        """)
    _ = try file.string("addr")
    _ = try file.table("raftstore")?.duration("tick")
    #expect(file.unknownKeys() == ["adr", "raftstore.tikc", "unheard-of"])
    #expect(throws: ConfigError.self) { try file.rejectUnknownKeys() }
  }

  @Test func wrongKindsAreErrorsNamingTheKey() throws {
    let file = try ConfigTable(
      toml: """
        count = "three"
        [raftstore]
        tick = "soon"
        size = "12 parsecs"
        negative = -5
        """)
    #expect { _ = try file.int("count") } throws: { "\($0)".contains("count must be an integer") }
    let raftstore = try #require(try file.table("raftstore"))
    #expect { _ = try raftstore.duration("tick") } throws: {
      "\($0)".contains("raftstore.tick must be a duration")
    }
    #expect { _ = try raftstore.bytes("size") } throws: {
      "\($0)".contains("raftstore.size must be a size")
    }
    #expect(throws: ConfigError.self) { _ = try raftstore.duration("negative") }
    #expect(throws: ConfigError.self) { _ = try file.table("count") }
  }

  @Test func syntaxErrorsNameTheLine() throws {
    #expect { _ = try ConfigTable(toml: "a = 1\nb = = 2\n") } throws: { "\($0)".contains("line 2") }
    #expect { _ = try ConfigTable(contentsOf: "/nonexistent/tinykv.toml") } throws: {
      "\($0)".contains("cannot read /nonexistent/tinykv.toml")
    }
  }
}

@Suite struct ConfigStringListTests {
  @Test func listsOfStringsAndSingleStrings() throws {
    let file = try ConfigTable(
      toml: """
        names = ["a", "b"]
        one = "c"
        none = []
        mixed = ["a", 1]
        """)
    #expect(try file.strings("names") == ["a", "b"])
    #expect(try file.strings("one") == ["c"])
    #expect(try file.strings("none") == [])
    #expect(try file.strings("absent") == nil)
    #expect(throws: ConfigError.self) { try file.strings("mixed") }
  }
}
