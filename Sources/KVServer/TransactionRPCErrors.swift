import Engine
import GRPCCore
import Transaction

/// How a transactional RPC's failure reaches the client, for both protocols' services: a
/// malformed request `INVALID_ARGUMENT`, a corrupt stored record `DATA_LOSS`, an engine failure
/// `INTERNAL`. (Per-key outcomes and region errors are not failures: they are in the response.)
package enum TransactionRPCErrors {
  /// Runs `body`, turning a thrown error into the `RPCError` the client sees.
  /// - Parameter method: the RPC's name, which starts the status message.
  package static func mapping<Response>(
    _ method: String, _ body: () async throws -> Response
  ) async throws -> Response {
    do {
      return try await body()
    } catch let error as TransactionError {
      let code: RPCError.Code = error.code == .invalidRequest ? .invalidArgument : .dataLoss
      throw RPCError(code: code, message: "\(method): \(error.message)")
    } catch let error as EngineError {
      throw RPCError(code: .internalError, message: "\(method): storage failed: \(error.message)")
    } catch let error as RPCError {
      throw error
    } catch {
      throw RPCError(code: .internalError, message: "\(method): \(error)")
    }
  }
}
