import Synchronization

/// A thread-safe recorder of a concurrent history: clients call ``invoke(client:_:)`` before
/// sending an operation and ``complete(_:_:)`` when they learn how it ended.
///
/// ```swift
/// let history = History<KVInput, String>()
/// let id = history.invoke(client: 3, .put(key: "k", value: "v"))
/// do { try await store.put("k", "v"); history.complete(id, .ok("")) }
/// catch is TimeoutError { history.complete(id, .unknown) }
/// ```
///
/// Times come from the injected ``HistoryClock``, read under the lock, so the recorded order of
/// events agrees with their times.
public final class History<Input: Sendable, Output: Sendable>: Sendable {
  private let clock: any HistoryClock
  /// Every invocation so far, indexed by ``OperationID/rawValue``. A record's completion is set
  /// once, from `nil` to a value, and never changes again.
  private let state = Mutex<[HistoryRecord<Input, Output>]>([])

  /// Creates an empty history whose times come from `clock`.
  public init(clock: any HistoryClock = MonotonicClock()) { self.clock = clock }

  /// Records that `client` is about to perform `input`.
  /// - Returns: The invocation's identity, for ``complete(_:_:)``.
  public func invoke(client: Int, _ input: Input) -> OperationID {
    state.withLock { records in
      let id = OperationID(rawValue: records.count)
      records.append(
        HistoryRecord(id: id, client: client, input: input, call: clock.now(), completion: nil))
      return id
    }
  }

  /// Records how an invocation ended. Only the first completion of an invocation counts; an
  /// identity from another history is ignored.
  public func complete(_ id: OperationID, _ result: OperationResult<Output>) {
    state.withLock { records in
      guard records.indices.contains(id.rawValue), records[id.rawValue].completion == nil else {
        return
      }
      records[id.rawValue].completion = RecordedCompletion(result: result, time: clock.now())
    }
  }

  /// A snapshot of every invocation so far, in invocation order.
  public var records: [HistoryRecord<Input, Output>] { state.withLock { $0 } }

  /// The operations the checker should see: failed ones left out, pending ones unknown.
  public func operations() -> [ClientOperation<Input, Output>] { records.operations() }
}
