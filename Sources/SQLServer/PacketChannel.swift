import MySQLProtocol
import NIOCore

/// One connection's packets over its NIO channel: whole payloads read in order (joined across
/// 16 MiB packets), answers framed with the sequence ids the protocol wants and written in
/// order. Used by its connection's task only.
final class PacketChannel {
  private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
  private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
  private var decoder: PacketDecoder
  /// The sequence id the next packet sent takes: one past the last packet read.
  private var sequence: UInt8 = 0
  /// Framed packets not written yet.
  private var pending: [UInt8] = []
  /// Pending bytes past which `send` writes before the answer is complete.
  private static let writeThreshold = 1 << 20

  init(
    inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
    outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, maxPayload: Int
  ) {
    self.inbound = inbound.makeAsyncIterator()
    self.outbound = outbound
    decoder = PacketDecoder(maxPayload: maxPayload)
  }

  /// The next payload, or nil once the client has closed the connection. The answer's packets
  /// take the sequence ids after its.
  /// - Throws: `MySQLProtocolError` for a payload over the limit; the channel's errors.
  func read() async throws -> [UInt8]? {
    while true {
      if let (last, payload) = try decoder.next() {
        sequence = last &+ 1
        return payload
      }
      guard let buffer = try await inbound.next() else { return nil }
      decoder.append(buffer.readableBytesView)
    }
  }

  /// Queues a packet of the answer; large answers are written as they grow.
  func send(_ payload: [UInt8]) async throws {
    let framed = PacketFramer.frame(payload, sequence: sequence)
    pending += framed.bytes
    sequence = framed.next
    if pending.count >= Self.writeThreshold { try await flush() }
  }

  /// Writes what is queued.
  func flush() async throws {
    guard !pending.isEmpty else { return }
    let bytes = ByteBuffer(bytes: pending)
    pending.removeAll(keepingCapacity: true)
    try await outbound.write(bytes)
  }
}
