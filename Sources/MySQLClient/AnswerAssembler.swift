/// The packets a request's answer is made of, and where it ends: fed the packets one by one, it
/// says when the whole answer has arrived, so the connection's handler hands it over at once.
/// It reads only the bytes that decide the answer's shape (headers, counts, status flags); the
/// parsing is ``AnswerParser``'s.
///
/// This client never asks for `CLIENT_DEPRECATE_EOF`: column definitions end with an EOF
/// packet, rows with an EOF (or, from a server that sends it anyway, an OK with header 0xFE).
struct AnswerAssembler: Sendable {
  /// The shape of the answer awaited.
  enum Shape: Sendable {
    /// One packet: the greeting, a login verdict (OK, ERR or an auth switch), a simple
    /// command's OK or ERR.
    case single
    /// `COM_QUERY` and `COM_STMT_EXECUTE`: OK or ERR, or a result set; again while the status
    /// says more results follow.
    case results
    /// `COM_STMT_PREPARE`: ERR, or PREPARE_OK with its parameter and column definitions.
    case prepare
  }

  private enum State: Sendable {
    case start
    /// Column definitions still to come, then the EOF that ends them.
    case definitions(remaining: Int, then: Next)
    case rows
    case done
  }

  /// What comes after a group of definitions.
  private enum Next: Sendable {
    case rows
    /// The prepare's column definitions (after its parameter definitions).
    case columns(Int)
    case end
  }

  let shape: Shape
  private var state = State.start
  /// Every packet of the answer so far.
  private(set) var packets: [[UInt8]] = []

  init(_ shape: Shape) { self.shape = shape }

  var isComplete: Bool {
    if case .done = state { return true }
    return false
  }

  /// Takes the answer's next packet.
  /// - Throws: `MySQLError.malformed` for a packet that cannot come there.
  mutating func add(_ packet: [UInt8]) throws(MySQLError) {
    packets.append(packet)
    let header = packet.first
    switch state {
    case .done:
      throw .malformed("a packet after the end of the answer")
    case .start:
      switch shape {
      case .single:
        state = .done
      case .results:
        if header == 0xFF {
          state = .done
        } else if header == 0x00 {
          state = AnswerParser.moreResults(afterOK: packet) ? .start : .done
        } else if header == 0xFB {
          throw .malformed("the server asked for a local file (LOAD DATA LOCAL), not supported")
        } else {
          var reader = AnswerParser.reader(packet)
          let count = try AnswerParser.lengthEncoded(&reader)
          guard count > 0 else { throw .malformed("a result set of no columns") }
          state = .definitions(remaining: Int(count), then: .rows)
        }
      case .prepare:
        guard header == 0x00, packet.count >= 9 else {
          state = .done  // ERR (or a short packet, for the parser to report)
          return
        }
        let columns = Int(packet[5]) | Int(packet[6]) << 8
        let parameters = Int(packet[7]) | Int(packet[8]) << 8
        state = next(after: parameters, then: .columns(columns))
      }
    case .definitions(let remaining, let then):
      if remaining > 0 {
        state = .definitions(remaining: remaining - 1, then: then)
      } else {
        guard AnswerParser.isEnd(packet) else {
          throw .malformed("no EOF after the column definitions")
        }
        state = following(then)
      }
    case .rows:
      if header == 0xFF {
        state = .done
      } else if AnswerParser.isEnd(packet) {
        state = AnswerParser.moreResults(afterEnd: packet) ? .start : .done
      }
    }
  }

  /// The state after `count` definitions (none: straight to what follows).
  private func next(after count: Int, then: Next) -> State {
    count > 0 ? .definitions(remaining: count, then: then) : following(then)
  }

  private func following(_ next: Next) -> State {
    switch next {
    case .rows: .rows
    case .columns(let count): self.next(after: count, then: .end)
    case .end: .done
    }
  }
}
