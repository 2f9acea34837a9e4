import Client

/// The store's and the client's errors as SQL errors, with TiDB's codes where TiDB has one
/// (docs/SQL.md, "Errors").
enum SessionErrors {
  /// Whether running the same transaction again may succeed.
  static func isRetryable(_ error: any Error) -> Bool {
    if let error = error as? TxnClientError { return error.isRetryable }
    if let error = error as? SQLError { return error.isRetryable }
    return false
  }

  /// `error` as the SQL error a client sees.
  static func sqlError(_ error: any Error) -> SQLError {
    switch error {
    case let error as SQLError:
      return error
    case let error as TxnClientError:
      switch error.code {
      case .conflict, .aborted:
        return .writeConflict(error.message)
      case .tooManyRetries:
        return SQLError(
          code: 9004, sqlState: "HY000",
          message: "Resolve lock timeout: \(error.message) [try again later]")
      case .undetermined:
        return SQLError(
          code: 8224, sqlState: "HY000",
          message: "The outcome of the commit is unknown (its answer was lost): \(error.message)")
      case .region:
        return SQLError(
          code: 9005, sqlState: "HY000",
          message: "Region is unavailable: \(error.message)")
      case .rejected:
        return .internalError("The store refused a push-down request: \(error.message)")
      }
    case let error as KVClientError:
      return SQLError(
        code: 9005, sqlState: "HY000", message: "Region is unavailable: \(error.description)")
    default:
      return .internalError("\(error)")
    }
  }
}
