import Foundation
import Storage
import TinyKVProto

/// KvPessimisticLock: a pessimistic transaction claims its keys before prewriting them.
///
/// Each mutation (op `PessimisticLock`) gets a pessimistic lock at `for_update_ts`, unless:
/// - another transaction locks the key: `locked` at once (there is no lock waiting and no
///   deadlock detection; `wait_timeout` is ignored);
/// - a write was committed after `for_update_ts`: a write conflict (the client retries with a
///   newer `for_update_ts`);
/// - the transaction already committed or rolled back the key: `abort`;
/// - `lock_only_if_exists` and the key has no value: no lock, no error.
/// The transaction's own pessimistic lock is renewed (a newer `for_update_ts`, a longer TTL);
/// its prewritten lock is `abort` (TiKV's LockTypeNotMatch). The first error fails the whole request, which then
/// writes nothing. With `return_values`, `values` and `not_founds` hold each key's value at
/// `for_update_ts`; with `check_existence`, `not_founds` only.
struct PessimisticLock: WriteCommand {
  let request: Kvrpcpb_PessimisticLockRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { request.mutations.map(\.key) }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_PessimisticLockResponse> {
    var response = Kvrpcpb_PessimisticLockResponse()
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    for mutation in request.mutations {
      guard mutation.op == .pessimisticLock else {
        throw TransactionError.invalid("a pessimistic lock cannot apply mutation op \(mutation.op)")
      }
      switch try lock(mutation.key, in: &txn) {
      case .failed(let error):
        return CommandOutput(
          response: Kvrpcpb_PessimisticLockResponse.with { $0.errors = [error] },
          modifications: [])
      case .locked(let value):
        if request.returnValues { response.values.append(value ?? Data()) }
        if request.returnValues || request.checkExistence {
          response.notFounds.append(value == nil)
        }
      }
    }
    return CommandOutput(response: response, modifications: txn.modifications)
  }

  /// What became of one key.
  private enum Outcome {
    /// Locked (or skipped by `lock_only_if_exists`); the key's value at `for_update_ts`, if
    /// asked for and there.
    case locked(Data?)
    case failed(Kvrpcpb_KeyError)
  }

  /// Locks `key`.
  private func lock<Reader>(
    _ key: Data, in txn: inout MvccTxn<Reader>
  ) throws -> Outcome {
    let reader = txn.reader
    let needsValue = request.returnValues || request.checkExistence || request.lockOnlyIfExists
    if let existing = try reader.lock(key) {
      guard existing.startTS == txn.startTS else { return .failed(.locked(existing, key: key)) }
      guard existing.isPessimistic else {
        return .failed(
          .abort("LockTypeNotMatch: transaction \(txn.startTS) already prewrote the key"))
      }
      let value = needsValue ? try reader.value(key, at: request.forUpdateTs) : nil
      if request.forUpdateTs > existing.forUpdateTS {
        var renewed = existing
        renewed.forUpdateTS = request.forUpdateTs
        renewed.ttl = max(existing.ttl, request.lockTtl)
        txn.putLock(key, renewed)
      }
      return .locked(value)
    }
    if let own = try reader.write(key, startTS: txn.startTS) {
      let fate = own.write.kind == .rollback ? "rolled back" : "committed"
      return .failed(.abort("transaction \(txn.startTS) already \(fate) the key"))
    }
    if let latest = try reader.mostRecentWrite(key), latest.commitTS > request.forUpdateTs {
      return .failed(
        .conflict(
          startTS: txn.startTS, commitTS: latest.commitTS, key: key,
          primary: request.primaryLock, reason: .pessimisticRetry))
    }
    let value = needsValue ? try reader.value(key, at: request.forUpdateTs) : nil
    if request.lockOnlyIfExists, value == nil { return .locked(nil) }
    txn.putLock(
      key,
      Lock(
        primary: request.primaryLock, startTS: txn.startTS, ttl: request.lockTtl,
        kind: .pessimistic, forUpdateTS: request.forUpdateTs, minCommitTS: request.minCommitTs))
    return .locked(value)
  }
}
