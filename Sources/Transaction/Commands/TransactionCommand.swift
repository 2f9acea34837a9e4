import Foundation
import Storage
import TinyKVProto

/// A command that only reads one snapshot.
protocol ReadCommand: Sendable {
  associatedtype Response: RegionErrorResponse
  var context: Kvrpcpb_Context { get }
  func execute<Reader: StorageReader>(_ reader: MvccReader<Reader>) throws -> Response
}

/// A command that reads one snapshot and then writes, holding the latches of `keysToLatch`
/// throughout.
protocol WriteCommand: Sendable {
  associatedtype Response: RegionErrorResponse
  var context: Kvrpcpb_Context { get }
  /// Every user key the command may write.
  var keysToLatch: [Data] { get }
  func execute<Reader: StorageReader>(_ reader: MvccReader<Reader>) throws -> CommandOutput<
    Response
  >
}

/// What a write command produced: its response and the changes to apply atomically before the
/// response is sent.
struct CommandOutput<Response> {
  var response: Response
  var modifications: [Modification]
}

/// A response that carries a region error.
public protocol RegionErrorResponse: Sendable {
  init()
  var regionError: Errorpb_Error { get set }
}

extension Kvrpcpb_GetResponse: RegionErrorResponse {}
extension Kvrpcpb_ScanResponse: RegionErrorResponse {}
extension Kvrpcpb_PrewriteResponse: RegionErrorResponse {}
extension Kvrpcpb_CommitResponse: RegionErrorResponse {}
extension Kvrpcpb_CheckTxnStatusResponse: RegionErrorResponse {}
extension Kvrpcpb_BatchRollbackResponse: RegionErrorResponse {}
extension Kvrpcpb_ResolveLockResponse: RegionErrorResponse {}
extension Kvrpcpb_BatchGetResponse: RegionErrorResponse {}
extension Kvrpcpb_CleanupResponse: RegionErrorResponse {}
extension Kvrpcpb_TxnHeartBeatResponse: RegionErrorResponse {}
extension Kvrpcpb_ScanLockResponse: RegionErrorResponse {}
extension Kvrpcpb_CheckSecondaryLocksResponse: RegionErrorResponse {}
extension Kvrpcpb_PessimisticLockResponse: RegionErrorResponse {}
extension Kvrpcpb_PessimisticRollbackResponse: RegionErrorResponse {}
