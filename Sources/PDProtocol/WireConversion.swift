import Scheduler
import SwiftProtobuf

extension SwiftProtobuf.Message {
  /// This message as `Target`, by serialising and parsing: correct when this message's fields
  /// are a subset (same numbers and wire types) of `Target`'s, as TinyKV's `metapb.Region`,
  /// `Peer`, `RegionEpoch` and `Store` are of kvproto's.
  /// - Throws: `SchedulerError` (`unknown`) if the bytes do not parse as `Target`.
  func converted<Target: SwiftProtobuf.Message>(
    to _: Target.Type = Target.self
  ) throws(SchedulerError) -> Target {
    do {
      let bytes: [UInt8] = try serializedBytes()
      return try Target(serializedBytes: bytes)
    } catch {
      throw SchedulerError(
        code: .unknown,
        message: "cannot convert \(Self.protoMessageName) to \(Target.protoMessageName): \(error)")
    }
  }
}

extension Array where Element: SwiftProtobuf.Message {
  /// Every element converted with `SwiftProtobuf.Message.converted(to:)`.
  func converted<Target: SwiftProtobuf.Message>(
    to _: Target.Type = Target.self
  ) throws(SchedulerError) -> [Target] {
    var result: [Target] = []
    result.reserveCapacity(count)
    for element in self { result.append(try element.converted()) }
    return result
  }
}
