import Coprocessor
import GRPCCore
import KVServer
import RaftStore
import Storage
import TiKVProtocol
import Transaction

/// The key-value services a store serves on its address, in both modes: TinyKV's `TinyKv` and
/// TiKV's `tikvpb.Tikv`, over one raw, one transaction and one coprocessor handler, so
/// transactional commands from either protocol take the same latches.
/// - Parameter receiver: the raft store that other stores' messages go to (cluster mode).
func keyValueServices<S: Storage>(
  storage: S, receiver: (any RaftMessageReceiver)? = nil
) -> [any RegistrableRPCService] {
  let raw = RawHandler(storage: storage)
  let txn = TransactionHandler(storage: storage)
  let copr = CoprocessorHandler(storage: storage)
  return [
    TinyKvService(raw: raw, txn: txn, copr: copr, receiver: receiver),
    TikvService(raw: raw, txn: txn, copr: copr),
  ]
}
