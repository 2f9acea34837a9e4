/// The protocol's framing: each packet is a 3-byte little-endian payload length, a sequence id
/// and the payload. A payload of 16 MiB - 1 bytes or more goes as several packets of that size,
/// the last shorter (possibly empty), each taking the next sequence id.
public enum PacketFramer {
  /// The largest payload one packet carries.
  public static let maxPayload = 0xFF_FFFF

  /// `payload` framed from sequence id `sequence`.
  /// - Returns: the bytes to send, and the sequence id the next packet takes.
  public static func frame(
    _ payload: [UInt8], sequence: UInt8
  ) -> (bytes: [UInt8], next: UInt8) {
    var out: [UInt8] = []
    out.reserveCapacity(payload.count + 4)
    var sequence = sequence
    var start = 0
    while true {
      let length = min(payload.count - start, maxPayload)
      out += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16), sequence]
      out += payload[start..<start + length]
      sequence &+= 1
      start += length
      if length < maxPayload { return (out, sequence) }
    }
  }
}

/// Reassembles packets from the bytes a connection receives, in whatever pieces they come.
public struct PacketDecoder: Sendable {
  private var buffer: [UInt8] = []
  private var start = 0
  /// The largest payload accepted (a client's `max_allowed_packet`).
  public let maxPayload: Int

  public init(maxPayload: Int = 64 << 20) { self.maxPayload = maxPayload }

  /// Adds received bytes.
  public mutating func append(_ bytes: some Collection<UInt8>) {
    if start > 0, start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    buffer.append(contentsOf: bytes)
  }

  /// The next whole payload (joined across 16 MiB packets) and the sequence id of its last
  /// packet, or nil until enough bytes have arrived.
  /// - Throws: `MySQLProtocolError` for a payload over `maxPayload`.
  public mutating func next() throws(MySQLProtocolError) -> (sequence: UInt8, payload: [UInt8])? {
    var offset = start
    var payload: [UInt8] = []
    while true {
      guard buffer.count - offset >= 4 else { return nil }
      let length =
        Int(buffer[offset]) | Int(buffer[offset + 1]) << 8 | Int(buffer[offset + 2]) << 16
      let sequence = buffer[offset + 3]
      guard payload.count + length <= maxPayload else {
        throw MySQLProtocolError("a packet of more than \(maxPayload) bytes")
      }
      guard buffer.count - offset - 4 >= length else { return nil }
      payload += buffer[offset + 4..<offset + 4 + length]
      offset += 4 + length
      if length < PacketFramer.maxPayload {
        start = offset
        if start > 1 << 20 {
          buffer.removeFirst(start)
          start = 0
        }
        return (sequence, payload)
      }
    }
  }
}
