/// Why a store cannot join its cluster.
public struct StoreNodeError: Error, CustomStringConvertible {
  /// What went wrong, for the operator.
  public var description: String

  init(_ description: String) { self.description = description }
}
