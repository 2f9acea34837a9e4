import MySQLProtocol
import NIOCore
import NIOPosix
import Synchronization
import TestSupport
import Testing

/// A flag set once, from any thread.
final class Flag: Sendable {
  private let value = Atomic(false)

  func set() { value.store(true, ordering: .sequentiallyConsistent) }

  var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}

/// A MySQL client for tests, built from MySQLProtocol's pieces over a plain TCP connection: it
/// sends exactly the packets a test asks for and reads the answers back into values, so the
/// tests see the server's bytes as a client does. Every read gives up after `readTimeout`.
final class MySQLTestClient {
  /// The server's greeting, as read.
  struct Greeting {
    var serverVersion: String
    var connectionID: UInt32
    var scramble: [UInt8]
    var capabilities: Capabilities
    var status: ServerStatus
    var plugin: String
  }

  struct OK: Equatable {
    var affectedRows: UInt64
    var lastInsertID: UInt64
    var status: ServerStatus
    var warnings: UInt16
    var info: String
  }

  struct ERR: Equatable, Error {
    var code: UInt16
    var sqlState: String
    var message: String
  }

  struct Column: Equatable {
    var name: String
    var type: ColumnType
    var flags: UInt16
  }

  /// One statement's answer: OK, a result set (values as text, or decoded binary), or ERR.
  enum Result: Equatable {
    case ok(OK)
    case rows(columns: [Column], rows: [[BinaryValue]], status: ServerStatus)
    case error(ERR)

    /// The text of a text result's values (nil for NULL).
    var texts: [[String?]]? {
      guard case .rows(_, let rows, _) = self else { return nil }
      return rows.map { row in
        row.map { value -> String? in
          if case .bytes(let bytes) = value { return String(decoding: bytes, as: UTF8.self) }
          return value == .null ? nil : "\(value)"
        }
      }
    }

    var status: ServerStatus? {
      switch self {
      case .ok(let ok): ok.status
      case .rows(_, _, let status): status
      case .error: nil
      }
    }

    /// A result set's rows.
    var rows: [[BinaryValue]]? {
      guard case .rows(_, let rows, _) = self else { return nil }
      return rows
    }

    /// A result set's columns.
    var columns: [Column]? {
      guard case .rows(let columns, _, _) = self else { return nil }
      return columns
    }

    /// The ERR, if the answer is one.
    var failure: ERR? {
      guard case .error(let error) = self else { return nil }
      return error
    }
  }

  /// A prepared statement's answer.
  struct Prepared {
    var id: UInt32
    var parameters: [Column]
    var columns: [Column]
  }

  private let channel: any Channel
  private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
  private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
  private var decoder = PacketDecoder()
  private var sequence: UInt8 = 0
  private let readTimeout: Duration
  /// What the client asks for in its handshake response.
  var capabilities: Capabilities = [
    .longPassword, .longFlag, .protocol41, .transactions, .secureConnection, .multiStatements,
    .multiResults, .psMultiResults, .pluginAuth, .pluginAuthLengthEncodedData,
  ]
  private(set) var greeting: Greeting?

  private init(
    channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
    outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, readTimeout: Duration
  ) {
    self.channel = channel
    self.inbound = inbound.makeAsyncIterator()
    self.outbound = outbound
    self.readTimeout = readTimeout
  }

  /// Opens a TCP connection to 127.0.0.1:`port`, runs `body` with a client on it (nothing read
  /// yet), and closes the connection.
  static func withConnection<T>(
    port: Int, readTimeout: Duration = .seconds(10), _ body: (MySQLTestClient) async throws -> T
  ) async throws -> T {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .connect(host: "127.0.0.1", port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
      }
    return try await channel.executeThenClose { inbound, outbound in
      try await body(
        MySQLTestClient(
          channel: channel.channel, inbound: inbound, outbound: outbound,
          readTimeout: readTimeout))
    }
  }

  /// Connects, authenticates (throwing the server's ERR when it refuses), and runs `body`.
  static func withLogin<T>(
    port: Int, user: String = "root", password: String = "", database: String? = nil,
    deprecateEOF: Bool = false, _ body: (MySQLTestClient) async throws -> T
  ) async throws -> T {
    try await withConnection(port: port) { client in
      if deprecateEOF { client.capabilities.insert(.deprecateEOF) }
      _ = try await client.readGreeting()
      if case .error(let error) = try await client.authenticate(
        user: user, password: password, database: database)
      {
        throw error
      }
      return try await body(client)
    }
  }

  // MARK: Packets

  /// Sends `payload` as one packet with sequence id `sequence` (0 starts a command).
  func send(_ payload: [UInt8], sequence: UInt8? = nil) async throws {
    let framed = PacketFramer.frame(payload, sequence: sequence ?? self.sequence)
    self.sequence = framed.next
    try await outbound.write(ByteBuffer(bytes: framed.bytes))
  }

  /// Sends bytes as they are, framing and all.
  func sendRaw(_ bytes: [UInt8]) async throws {
    try await outbound.write(ByteBuffer(bytes: bytes))
  }

  /// The next packet's payload, or nil when the server closed the connection.
  /// - Throws: `TestFailure` when nothing comes within the read timeout.
  func readPacket() async throws -> [UInt8]? {
    let channel = self.channel
    let timedOut = Flag()
    let timer = channel.eventLoop.scheduleTask(in: TimeAmount(readTimeout)) {
      timedOut.set()
      channel.close(promise: nil)
    }
    defer { timer.cancel() }
    while true {
      if let (last, payload) = try decoder.next() {
        sequence = last &+ 1
        return payload
      }
      let buffer: ByteBuffer?
      do {
        buffer = try await inbound.next()
      } catch {
        buffer = nil
      }
      guard let buffer else {
        if timedOut.isSet { throw TestFailure("no answer within \(readTimeout)") }
        return nil
      }
      decoder.append(buffer.readableBytesView)
    }
  }

  /// The next packet, which must come.
  func expectPacket() async throws -> [UInt8] {
    guard let packet = try await readPacket() else {
      throw TestFailure("the server closed the connection")
    }
    return packet
  }

  /// Whether the server closes the connection before sending anything more.
  func closedByServer() async throws -> Bool {
    try await readPacket() == nil
  }

  func close() async {
    try? await channel.close()
  }

  // MARK: Handshake

  func readGreeting() async throws -> Greeting {
    var reader = PayloadReader(try await expectPacket())
    guard try reader.int1() == 10 else { throw TestFailure("not a HandshakeV10") }
    let version = String(decoding: try reader.nulTerminated(), as: UTF8.self)
    let id = try reader.int4()
    var scramble = try reader.take(8)
    _ = try reader.int1()
    var capabilities = UInt32(try reader.int2())
    _ = try reader.int1()
    let status = ServerStatus(rawValue: try reader.int2())
    capabilities |= UInt32(try reader.int2()) << 16
    let length = Int(try reader.int1())
    _ = try reader.take(10)
    scramble += try reader.take(max(13, length - 8)).dropLast()
    let plugin = String(decoding: try reader.nulTerminated(), as: UTF8.self)
    let greeting = Greeting(
      serverVersion: version, connectionID: id, scramble: scramble,
      capabilities: Capabilities(rawValue: capabilities), status: status, plugin: plugin)
    self.greeting = greeting
    return greeting
  }

  /// Sends the handshake response with mysql_native_password's answer (or `plugin` and
  /// `answer` as given), follows an auth switch, and returns the server's verdict.
  func authenticate(
    user: String, password: String, database: String? = nil, plugin: String? = nil,
    answer: [UInt8]? = nil
  ) async throws -> Result {
    guard let greeting else { throw TestFailure("no greeting read") }
    var capabilities = self.capabilities
    if database != nil { capabilities.insert(.connectWithDB) }
    var writer = PayloadWriter()
    writer.int4(capabilities.rawValue)
    writer.int4(1 << 24)
    writer.int1(45)
    writer.raw([UInt8](repeating: 0, count: 23))
    writer.nulTerminated(user)
    writer.lengthEncoded(
      answer ?? NativePassword.answer(password: password, scramble: greeting.scramble))
    if let database { writer.nulTerminated(database) }
    writer.nulTerminated(plugin ?? NativePassword.pluginName)
    try await send(writer.bytes)
    var reply = try await expectPacket()
    if reply.first == 0xFE {
      var reader = PayloadReader(reply)
      _ = try reader.int1()
      let name = String(decoding: try reader.nulTerminated(), as: UTF8.self)
      guard name == NativePassword.pluginName else { throw TestFailure("switch to \(name)") }
      let scramble = Array(reader.rest().dropLast())
      try await send(NativePassword.answer(password: password, scramble: scramble))
      reply = try await expectPacket()
    }
    return try Self.parseStatus(reply)
  }

  // MARK: Commands

  /// `COM_QUERY`: every result until one without `SERVER_MORE_RESULTS_EXISTS`, or an ERR.
  func query(_ sql: String) async throws -> [Result] {
    sequence = 0
    try await send([0x03] + Array(sql.utf8))
    var results: [Result] = []
    while true {
      let result = try await readResult(binary: false)
      results.append(result)
      guard let status = result.status, status.contains(.moreResultsExist) else { return results }
    }
  }

  /// `COM_PING`, `COM_INIT_DB`, `COM_RESET_CONNECTION`, `COM_STMT_RESET`, `COM_SET_OPTION`:
  /// a command answered with one OK, EOF or ERR.
  func simpleCommand(_ payload: [UInt8]) async throws -> Result {
    sequence = 0
    try await send(payload)
    return try Self.parseStatus(try await expectPacket())
  }

  /// `COM_FIELD_LIST`: the columns, or the ERR.
  func fieldList(_ table: String) async throws -> Swift.Result<[Column], ERR> {
    sequence = 0
    try await send([0x04] + Array(table.utf8) + [0])
    var columns: [Column] = []
    while true {
      let packet = try await expectPacket()
      if packet.first == 0xFF, case .error(let error) = try Self.parseStatus(packet) {
        return .failure(error)
      }
      if Self.isEnd(packet) { return .success(columns) }
      columns.append(try Self.parseColumn(packet, fieldList: true))
    }
  }

  /// `COM_STMT_PREPARE`: the statement, or the ERR.
  func prepare(_ sql: String) async throws -> Swift.Result<Prepared, ERR> {
    sequence = 0
    try await send([0x16] + Array(sql.utf8))
    let first = try await expectPacket()
    if first.first == 0xFF, case .error(let error) = try Self.parseStatus(first) {
      return .failure(error)
    }
    var reader = PayloadReader(first)
    _ = try reader.int1()
    let id = try reader.int4()
    let columnCount = Int(try reader.int2())
    let parameterCount = Int(try reader.int2())
    let parameters = try await readDefinitions(parameterCount)
    let columns = try await readDefinitions(columnCount)
    return .success(Prepared(id: id, parameters: parameters, columns: columns))
  }

  /// `COM_STMT_EXECUTE` with `parameters` (value and type each), their types sent unless
  /// `sendTypes` is false; the values of the parameters in `longData` are left out (they went
  /// ahead with `sendLongData`).
  func execute(
    _ id: UInt32, _ parameters: [(BinaryValue, ColumnType)], sendTypes: Bool = true,
    longData: Set<Int> = []
  ) async throws -> Result {
    sequence = 0
    var writer = PayloadWriter()
    writer.int1(0x17)
    writer.int4(id)
    writer.int1(0)
    writer.int4(1)
    if !parameters.isEmpty {
      var bitmap = [UInt8](repeating: 0, count: (parameters.count + 7) / 8)
      for (index, (value, _)) in parameters.enumerated() where value == .null {
        bitmap[index / 8] |= 1 << UInt8(index % 8)
      }
      writer.raw(bitmap)
      writer.int1(sendTypes ? 1 : 0)
      if sendTypes {
        for (value, type) in parameters {
          writer.int1(type.rawValue)
          if case .uint = value { writer.int1(0x80) } else { writer.int1(0) }
        }
      }
      for (index, (value, type)) in parameters.enumerated() where !longData.contains(index) {
        Self.write(value, as: type, to: &writer)
      }
    }
    try await send(writer.bytes)
    return try await readResult(binary: true)
  }

  /// `COM_STMT_SEND_LONG_DATA` (no answer).
  func sendLongData(_ id: UInt32, parameter: UInt16, _ data: [UInt8]) async throws {
    sequence = 0
    var writer = PayloadWriter()
    writer.int1(0x18)
    writer.int4(id)
    writer.int2(parameter)
    writer.raw(data)
    try await send(writer.bytes)
  }

  /// `COM_STMT_CLOSE` (no answer).
  func closeStatement(_ id: UInt32) async throws {
    sequence = 0
    var writer = PayloadWriter()
    writer.int1(0x19)
    writer.int4(id)
    try await send(writer.bytes)
  }

  // MARK: Reading answers

  /// One result: OK, ERR, or a result set with its rows.
  func readResult(binary: Bool) async throws -> Result {
    let first = try await expectPacket()
    if first.first == 0x00 || first.first == 0xFF { return try Self.parseStatus(first) }
    var reader = PayloadReader(first)
    let count = Int(try reader.lengthEncoded() ?? 0)
    let columns = try await readDefinitions(count)
    var rows: [[BinaryValue]] = []
    while true {
      let packet = try await expectPacket()
      if packet.first == 0xFF { return try Self.parseStatus(packet) }
      if Self.isEnd(packet) {
        guard let status = try Self.parseStatus(packet).status else {
          throw TestFailure("a bad end of rows")
        }
        return .rows(columns: columns, rows: rows, status: status)
      }
      rows.append(
        binary ? try Self.parseBinaryRow(packet, columns) : try Self.parseTextRow(packet, count))
    }
  }

  /// `count` column definitions, then the EOF unless the client deprecated it.
  private func readDefinitions(_ count: Int) async throws -> [Column] {
    guard count > 0 else { return [] }
    var columns: [Column] = []
    for _ in 0..<count { columns.append(try Self.parseColumn(try await expectPacket())) }
    if !capabilities.contains(.deprecateEOF) {
      let eof = try await expectPacket()
      guard Self.isEnd(eof) else { throw TestFailure("no EOF after definitions: \(eof)") }
    }
    return columns
  }

  /// An EOF, or an OK with header 0xFE ending rows (a row starts with 0xFE only for a value of
  /// 16 MiB or more, which these tests never send).
  static func isEnd(_ packet: [UInt8]) -> Bool {
    packet.first == 0xFE && packet.count < 0xFF_FFFF
  }

  /// OK (header 0x00, or 0xFE when long enough to be one), EOF, or ERR.
  static func parseStatus(_ packet: [UInt8]) throws -> Result {
    var reader = PayloadReader(packet)
    switch try reader.int1() {
    case 0xFF:
      let code = try reader.int2()
      _ = try reader.int1()
      let state = String(decoding: try reader.take(5), as: UTF8.self)
      return .error(
        ERR(code: code, sqlState: state, message: String(decoding: reader.rest(), as: UTF8.self)))
    case 0xFE where packet.count == 5:
      let warnings = try reader.int2()
      let status = ServerStatus(rawValue: try reader.int2())
      return .ok(OK(affectedRows: 0, lastInsertID: 0, status: status, warnings: warnings, info: ""))
    case 0x00, 0xFE:
      let affected = try reader.lengthEncoded() ?? 0
      let insertID = try reader.lengthEncoded() ?? 0
      let status = ServerStatus(rawValue: try reader.int2())
      let warnings = try reader.int2()
      return .ok(
        OK(
          affectedRows: affected, lastInsertID: insertID, status: status, warnings: warnings,
          info: String(
            decoding: reader.remaining > 0 ? try reader.lengthEncodedBytes() ?? [] : [],
            as: UTF8.self)))
    case let header:
      throw TestFailure("not an OK, EOF or ERR: header \(header)")
    }
  }

  static func parseColumn(_ packet: [UInt8], fieldList: Bool = false) throws -> Column {
    var reader = PayloadReader(packet)
    guard try reader.lengthEncodedBytes() == Array("def".utf8) else {
      throw TestFailure("not a column definition: \(packet)")
    }
    for _ in 0..<3 { _ = try reader.lengthEncodedBytes() }
    let name = String(decoding: try reader.lengthEncodedBytes() ?? [], as: UTF8.self)
    _ = try reader.lengthEncodedBytes()
    _ = try reader.lengthEncoded()
    _ = try reader.int2()
    _ = try reader.int4()
    let code = try reader.int1()
    guard let type = ColumnType(rawValue: code) else { throw TestFailure("type \(code)") }
    let flags = try reader.int2()
    _ = try reader.int1()
    _ = try reader.int2()
    if fieldList {
      guard try reader.lengthEncoded() == nil else { throw TestFailure("a default value") }
    }
    guard reader.remaining == 0 else { throw TestFailure("bytes after a column definition") }
    return Column(name: name, type: type, flags: flags)
  }

  /// A text row: each value as bytes, NULL as `.null`.
  static func parseTextRow(_ packet: [UInt8], _ count: Int) throws -> [BinaryValue] {
    var reader = PayloadReader(packet)
    let row = try (0..<count).map { _ in
      try reader.lengthEncodedBytes().map(BinaryValue.bytes) ?? .null
    }
    guard reader.remaining == 0 else { throw TestFailure("bytes after a text row") }
    return row
  }

  /// A binary row, each value decoded in its column type's width (date and time as their
  /// binary bytes).
  static func parseBinaryRow(_ packet: [UInt8], _ columns: [Column]) throws -> [BinaryValue] {
    var reader = PayloadReader(packet)
    guard try reader.int1() == 0 else { throw TestFailure("not a binary row") }
    let bitmap = try reader.take((columns.count + 9) / 8)
    var row: [BinaryValue] = []
    for (index, column) in columns.enumerated() {
      if bitmap[(index + 2) / 8] & (1 << UInt8((index + 2) % 8)) != 0 {
        row.append(.null)
        continue
      }
      let unsigned = column.flags & 32 != 0
      func integer(_ bits: UInt64, _ width: Int) -> BinaryValue {
        if unsigned { return .uint(bits) }
        let unused = UInt64(64 - 8 * width)
        return .int(Int64(bitPattern: bits << unused) >> Int64(unused))
      }
      switch column.type {
      case .tiny: row.append(integer(UInt64(try reader.int1()), 1))
      case .short, .year: row.append(integer(UInt64(try reader.int2()), 2))
      case .long, .int24: row.append(integer(UInt64(try reader.int4()), 4))
      case .longlong: row.append(integer(try reader.int8(), 8))
      case .float: row.append(.double(Double(Float(bitPattern: try reader.int4()))))
      case .double: row.append(.double(Double(bitPattern: try reader.int8())))
      case .date, .datetime, .timestamp, .time:
        let length = Int(try reader.int1())
        row.append(.bytes(try reader.take(length)))
      default: row.append(.bytes(try reader.lengthEncodedBytes() ?? []))
      }
    }
    guard reader.remaining == 0 else { throw TestFailure("bytes after a binary row") }
    return row
  }

  /// A parameter's value in the binary protocol.
  private static func write(
    _ value: BinaryValue, as type: ColumnType, to writer: inout PayloadWriter
  ) {
    let bits: UInt64 =
      switch value {
      case .int(let value): UInt64(bitPattern: value)
      case .uint(let value): value
      case .double(let value): type == .float ? UInt64(Float(value).bitPattern) : value.bitPattern
      default: 0
      }
    switch (value, type) {
    case (.null, _): break
    case (.bytes(let bytes), _): writer.lengthEncoded(bytes)
    case (_, .tiny): writer.int1(UInt8(truncatingIfNeeded: bits))
    case (_, .short): writer.int2(UInt16(truncatingIfNeeded: bits))
    case (_, .long), (_, .float): writer.int4(UInt32(truncatingIfNeeded: bits))
    default: writer.int8(bits)
    }
  }
}

extension MySQLTestClient {
  /// Expects the first result of `sql` to be rows whose values read as `expected`.
  func expectTexts(
    _ sql: String, _ expected: [[String?]], sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let texts = try await query(sql).first?.texts
    #expect(texts == expected, sourceLocation: sourceLocation)
  }
}
