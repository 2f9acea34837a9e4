import Foundation
import TinyKVProto

@testable import Transaction

// Builders for the requests of TiKV's commands and extra fields.

func pessimisticLockRequest(
  _ keys: [Data], primary: Data = bytes(1), startTS: UInt64, forUpdateTS: UInt64,
  ttl: UInt64 = 3000
) -> Kvrpcpb_PessimisticLockRequest {
  var request = Kvrpcpb_PessimisticLockRequest()
  request.mutations = keys.map { mutation($0, .pessimisticLock) }
  request.primaryLock = primary
  request.startVersion = startTS
  request.forUpdateTs = forUpdateTS
  request.lockTtl = ttl
  return request
}

/// A prewrite of a pessimistic transaction: every mutation expects its pessimistic lock.
func pessimisticPrewriteRequest(
  _ mutations: [Kvrpcpb_Mutation], primary: Data = bytes(1), startTS: UInt64, forUpdateTS: UInt64,
  ttl: UInt64 = 3000
) -> Kvrpcpb_PrewriteRequest {
  var request = prewriteRequest(mutations, primary: primary, startTS: startTS, ttl: ttl)
  request.forUpdateTs = forUpdateTS
  request.pessimisticActions = mutations.map { _ in .doPessimisticCheck }
  return request
}

func pessimisticRollbackRequest(
  _ keys: [Data], startTS: UInt64, forUpdateTS: UInt64
) -> Kvrpcpb_PessimisticRollbackRequest {
  var request = Kvrpcpb_PessimisticRollbackRequest()
  request.keys = keys
  request.startVersion = startTS
  request.forUpdateTs = forUpdateTS
  return request
}

func batchGetRequest(_ keys: [Data], at version: UInt64) -> Kvrpcpb_BatchGetRequest {
  var request = Kvrpcpb_BatchGetRequest()
  request.keys = keys
  request.version = version
  return request
}

func cleanupRequest(_ key: Data, startTS: UInt64, currentTS: UInt64) -> Kvrpcpb_CleanupRequest {
  var request = Kvrpcpb_CleanupRequest()
  request.key = key
  request.startVersion = startTS
  request.currentTs = currentTS
  return request
}

func heartBeatRequest(
  primary: Data, startTS: UInt64, adviseTTL: UInt64
) -> Kvrpcpb_TxnHeartBeatRequest {
  var request = Kvrpcpb_TxnHeartBeatRequest()
  request.primaryLock = primary
  request.startVersion = startTS
  request.adviseLockTtl = adviseTTL
  return request
}

func scanLockRequest(
  maxVersion: UInt64, from startKey: Data = Data(), to endKey: Data = Data(), limit: UInt32 = 0
) -> Kvrpcpb_ScanLockRequest {
  var request = Kvrpcpb_ScanLockRequest()
  request.maxVersion = maxVersion
  request.startKey = startKey
  request.endKey = endKey
  request.limit = limit
  return request
}

func checkSecondaryRequest(
  _ keys: [Data], startTS: UInt64
) -> Kvrpcpb_CheckSecondaryLocksRequest {
  var request = Kvrpcpb_CheckSecondaryLocksRequest()
  request.keys = keys
  request.startVersion = startTS
  return request
}

func txnInfo(_ startTS: UInt64, status: UInt64) -> Kvrpcpb_TxnInfo {
  var info = Kvrpcpb_TxnInfo()
  info.txn = startTS
  info.status = status
  return info
}

/// A physical time in milliseconds as a TSO timestamp with a large logical part.
func tso(_ millis: UInt64, logical: UInt64 = 0) -> UInt64 {
  TSO.compose(physicalMillis: millis, logical: logical)
}
