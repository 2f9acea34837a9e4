extension Kvrpcpb_WriteSession {
  /// A write's place in its session (exactly-once raw writes; docs/CLIENT.md).
  /// - Parameters:
  ///   - id: the session.
  ///   - sequence: the write's number in it.
  ///   - completedBelow: every number below has been answered to the client.
  ///   - resend: an earlier attempt's outcome is unknown.
  public init(id: UInt64, sequence: UInt64, completedBelow: UInt64, resend: Bool) {
    self.init()
    self.id = id
    self.sequence = sequence
    self.completedBelow = completedBelow
    self.resend = resend
  }
}
