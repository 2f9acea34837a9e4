import Foundation
import Storage
import TinyKVProto

/// KvPrewrite: the first phase of a commit. Locks every key of the mutations for the transaction
/// and stages its values, or, if any key is locked by another transaction, was written since the
/// transaction started, or fails its checks, changes nothing and reports every such key.
///
/// TiKV's extras: `Insert` (a put that fails with `already_exist` if the key has a value),
/// `CheckNotExists` (the same check, nothing written); `txn_size`, `for_update_ts` and
/// `min_commit_ts` stored in the locks; in a pessimistic transaction (`for_update_ts` > 0) a
/// mutation marked `DO_PESSIMISTIC_CHECK` must find the transaction's pessimistic lock, which it
/// turns into a normal lock (no conflict check: the pessimistic lock already kept writers out).
/// Async commit and one-phase commit are never done: the response's `min_commit_ts` and
/// `one_pc_commit_ts` stay 0, which tells the client to commit normally.
struct Prewrite: WriteCommand {
  let request: Kvrpcpb_PrewriteRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { request.mutations.map(\.key) }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_PrewriteResponse> {
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    var response = Kvrpcpb_PrewriteResponse()
    for (index, mutation) in request.mutations.enumerated() {
      if let error = try prewrite(mutation, action: pessimisticAction(index), in: &txn) {
        response.errors.append(error)
      }
    }
    // All or nothing: a client that sees an error rolls back or retries the whole prewrite.
    return CommandOutput(
      response: response, modifications: response.errors.isEmpty ? txn.modifications : [])
  }

  /// What a pessimistic transaction expects of the mutation at `index`; `nil` in an optimistic
  /// transaction.
  private func pessimisticAction(_ index: Int) -> Kvrpcpb_PrewriteRequest.PessimisticAction? {
    guard request.forUpdateTs > 0 else { return nil }
    return index < request.pessimisticActions.count
      ? request.pessimisticActions[index] : .skipPessimisticCheck
  }

  private func prewrite<Reader>(
    _ mutation: Kvrpcpb_Mutation, action: Kvrpcpb_PrewriteRequest.PessimisticAction?,
    in txn: inout MvccTxn<Reader>
  ) throws -> Kvrpcpb_KeyError? {
    let key = mutation.key
    let expectsPessimisticLock = action == .doPessimisticCheck
    // `nil`: CheckNotExists, which only checks.
    let kind: Lock.Kind?
    switch mutation.op {
    case .put, .insert: kind = .put
    case .del: kind = .delete
    case .lock: kind = .lock
    case .checkNotExists: kind = nil
    case .rollback, .pessimisticLock, .UNRECOGNIZED:
      throw TransactionError.invalid("prewrite cannot apply mutation op \(mutation.op)")
    }
    let existingLock = try txn.reader.lock(key)
    if let existingLock, existingLock.startTS != txn.startTS {
      return .locked(existingLock, key: key)
    }
    if let existingLock, !existingLock.isPessimistic {
      // Already prewritten: a retry. Write the lock again (the same one), check nothing.
      guard let kind else { return nil }
      writeLock(key, kind: kind, value: mutation.value, replacing: existingLock, in: &txn)
      return nil
    }
    if existingLock != nil, !expectsPessimisticLock {
      return .abort(
        "transaction \(txn.startTS) holds a pessimistic lock on the key but the prewrite does "
          + "not expect one")
    }
    if existingLock == nil {
      if expectsPessimisticLock {
        return try missingPessimisticLock(key, in: txn)
      }
      let error =
        if let action { try pessimisticConflict(key, action: action, in: txn) } else {
          try conflict(key, in: txn)
        }
      if let error { return error }
    }
    if mutation.op == .insert || mutation.op == .checkNotExists,
      try txn.reader.value(key, at: TSO.max) != nil
    {
      return .alreadyExist(key)
    }
    guard let kind else { return nil }
    writeLock(key, kind: kind, value: mutation.value, replacing: existingLock, in: &txn)
    return nil
  }

  /// A pessimistic check found no lock: fine if the transaction already committed the key (a
  /// retry after the commit), otherwise an error.
  private func missingPessimisticLock<Reader>(
    _ key: Data, in txn: MvccTxn<Reader>
  ) throws -> Kvrpcpb_KeyError? {
    if let existing = try txn.reader.write(key, startTS: txn.startTS) {
      if existing.write.kind == .rollback {
        return .abort("transaction \(txn.startTS) was already rolled back on this key")
      }
      return nil
    }
    return .pessimisticLockNotFound(startTS: txn.startTS, key: key)
  }

  /// A write committed at or after the start (or this transaction's own rollback).
  private func conflict<Reader>(_ key: Data, in txn: MvccTxn<Reader>) throws -> Kvrpcpb_KeyError? {
    guard let latest = try txn.reader.mostRecentWrite(key), latest.commitTS >= txn.startTS else {
      return nil
    }
    if latest.write.kind == .rollback, latest.write.startTS == txn.startTS {
      return .abort("transaction \(txn.startTS) was already rolled back on this key")
    }
    return .conflict(
      startTS: txn.startTS, commitTS: latest.commitTS, key: key, primary: request.primaryLock,
      reason: .optimistic)
  }

  /// For a key a pessimistic transaction did not lock, TiKV's check: a write committed after
  /// `for_update_ts` (after `start_ts` for `DO_CONSTRAINT_CHECK`), other transactions' rollbacks
  /// aside, or this transaction's own rollback.
  private func pessimisticConflict<Reader>(
    _ key: Data, action: Kvrpcpb_PrewriteRequest.PessimisticAction, in txn: MvccTxn<Reader>
  ) throws -> Kvrpcpb_KeyError? {
    if let own = try txn.reader.write(key, startTS: txn.startTS), own.write.kind == .rollback {
      return .abort("transaction \(txn.startTS) was already rolled back on this key")
    }
    let constraint = action == .doConstraintCheck
    let after = constraint ? txn.startTS : request.forUpdateTs
    guard let latest = try txn.reader.newestWrite(key, skippingRollbacks: true),
      latest.commitTS > after
    else { return nil }
    return .conflict(
      startTS: txn.startTS, commitTS: latest.commitTS, key: key, primary: request.primaryLock,
      reason: constraint ? .lazyUniquenessCheck : .notLockedKeyConflict)
  }

  /// Writes the lock and stages the value. Replacing the transaction's own lock (its pessimistic
  /// lock, or its prewrite lock on a retry) never shortens the TTL a heartbeat extended nor
  /// lowers a `minCommitTS` a reader pushed.
  private func writeLock<Reader>(
    _ key: Data, kind: Lock.Kind, value: Data, replacing existing: Lock?,
    in txn: inout MvccTxn<Reader>
  ) {
    txn.putLock(
      key,
      Lock(
        primary: request.primaryLock, startTS: txn.startTS,
        ttl: max(request.lockTtl, existing?.ttl ?? 0), kind: kind,
        forUpdateTS: request.forUpdateTs,
        minCommitTS: max(request.minCommitTs, existing?.minCommitTS ?? 0),
        txnSize: request.txnSize))
    switch kind {
    case .put: txn.putValue(key, value)
    case .delete, .lock, .pessimistic: txn.deleteValue(key)
    }
  }
}
