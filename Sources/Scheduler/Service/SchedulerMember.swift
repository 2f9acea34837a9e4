/// This scheduler as the one member (and leader) of its cluster: what `GetMembers` reports in
/// both TinyKV's protocol and PD's.
public struct SchedulerMember: Sendable, Equatable {
  /// The member's name (`--name`).
  public let name: String
  /// A stable id derived from the name (FNV-1a), as PD derives member ids from member details.
  public let id: UInt64
  /// Where clients reach it: dialable URLs such as `http://127.0.0.1:2379`.
  public let clientURLs: [String]

  /// - Parameters:
  ///   - name: this member's name.
  ///   - clientURLs: the URLs clients should dial (the advertised ones, not a wildcard address).
  public init(name: String, clientURLs: [String]) {
    self.name = name
    id = name.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    self.clientURLs = clientURLs
  }
}
