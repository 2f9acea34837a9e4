import MySQLProtocol
import NIOCore

/// A request for the connection's channel: a payload to send (framed from `sequence`) and,
/// unless `promise` is nil, the answer to await, of `shape`.
struct Exchange: Sendable {
  var payload: [UInt8]
  var sequence: UInt8
  var shape: AnswerAssembler.Shape
  var promise: EventLoopPromise<Answer>?
}

/// A whole answer: its packets, and the sequence id of the last (a login's next packet takes
/// the one after it).
struct Answer: Sendable {
  var packets: [[UInt8]]
  var lastSequence: UInt8
}

/// The connection's pipeline handler: frames each ``Exchange``'s payload on the way out, and on
/// the way in reassembles packets and hands each whole answer to the oldest request waiting for
/// one (answers come in the order of the requests). The server's greeting is the answer of a
/// request made when the connection opens.
///
/// When the channel closes or fails, or the server breaks the protocol, every waiting request
/// fails with that error (`MySQLError.closed` or `.malformed`), and so does every later one.
final class PacketHandler: ChannelDuplexHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = Exchange
  typealias OutboundOut = ByteBuffer

  private var decoder = PacketDecoder()
  private var waiting = CircularBuffer<(AnswerAssembler, EventLoopPromise<Answer>)>()
  /// Why the channel closed, once it has.
  private var closedWith: MySQLError?

  /// A handler whose first answer, the server's greeting, goes to `greeting`.
  init(greeting: EventLoopPromise<Answer>) {
    waiting.append((AnswerAssembler(.single), greeting))
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let exchange = unwrapOutboundIn(data)
    if let closedWith {
      exchange.promise?.fail(closedWith)
      promise?.fail(closedWith)
      return
    }
    if let answer = exchange.promise { waiting.append((AnswerAssembler(exchange.shape), answer)) }
    let framed = PacketFramer.frame(exchange.payload, sequence: exchange.sequence).bytes
    var buffer = context.channel.allocator.buffer(capacity: framed.count)
    buffer.writeBytes(framed)
    context.write(wrapOutboundOut(buffer), promise: promise)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let buffer = unwrapInboundIn(data)
    decoder.append(buffer.readableBytesView)
    do {
      while let (sequence, payload) = try decoder.next() {
        guard !waiting.isEmpty else {
          throw MySQLError.malformed("a packet nobody asked for (header \(payload.first ?? 0))")
        }
        try waiting[waiting.startIndex].0.add(payload)
        if waiting[waiting.startIndex].0.isComplete {
          let (assembler, promise) = waiting.removeFirst()
          promise.succeed(Answer(packets: assembler.packets, lastSequence: sequence))
        }
      }
    } catch let error as MySQLError {
      fail(context, with: error)
    } catch {
      fail(context, with: .malformed("\(error)"))
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    failWaiting(with: .closed("the server closed the connection"))
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    fail(context, with: .closed("\(error)"))
  }

  /// Fails every waiting request and closes the channel.
  private func fail(_ context: ChannelHandlerContext, with error: MySQLError) {
    failWaiting(with: error)
    context.close(promise: nil)
  }

  /// Fails every waiting request with the first reason the connection ended.
  private func failWaiting(with error: MySQLError) {
    if closedWith == nil { closedWith = error }
    let reason = closedWith ?? error
    while let (_, promise) = waiting.popFirst() { promise.fail(reason) }
  }
}
