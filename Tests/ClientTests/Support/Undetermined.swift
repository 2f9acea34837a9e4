import Client
import Testing

/// Expects `write` to throw `KVClientError.undetermined` and returns what the router tried;
/// records an issue (and returns nil) for anything else.
func expectUndetermined(
  _ write: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) async -> RoutingFailure? {
  let error = await #expect(throws: KVClientError.self, sourceLocation: sourceLocation) {
    try await write()
  }
  guard case .undetermined(let failure)? = error else {
    Issue.record(
      "expected undetermined, got \(String(describing: error))", sourceLocation: sourceLocation)
    return nil
  }
  return failure
}
