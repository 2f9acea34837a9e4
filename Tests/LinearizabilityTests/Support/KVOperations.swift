import Linearizability

/// An operation of a key-value history.
typealias KVOperation = ClientOperation<KVInput, String>

/// A get of `key` that returned `value` during `span`.
func get(_ key: String, _ value: String, _ span: ClosedRange<UInt64>, client: Int = 0)
  -> KVOperation
{
  returned(.get(key: key), value, span, client: client)
}

/// A put of `value` to `key` that completed during `span`.
func put(_ key: String, _ value: String, _ span: ClosedRange<UInt64>, client: Int = 0)
  -> KVOperation
{
  returned(.put(key: key, value: value), "", span, client: client)
}

/// An append of `value` to `key` that completed during `span`.
func append(_ key: String, _ value: String, _ span: ClosedRange<UInt64>, client: Int = 0)
  -> KVOperation
{
  returned(.append(key: key, value: value), "", span, client: client)
}

/// An operation called at `call` whose client never learned the outcome.
func unknown(_ input: KVInput, calledAt call: UInt64, client: Int = 0) -> KVOperation {
  KVOperation(client: client, input: input, call: call, completion: .unknown)
}

private func returned(
  _ input: KVInput, _ output: String, _ span: ClosedRange<UInt64>, client: Int
) -> KVOperation {
  KVOperation(
    client: client, input: input, call: span.lowerBound,
    completion: .returned(output, at: span.upperBound))
}

/// A read of "a" called after "a" was overwritten by "b": not linearizable.
let staleReadHistory = [
  put("k", "a", 0...10),
  put("k", "b", 20...30),
  get("k", "a", 40...50, client: 1),
]

/// Checks a key-value history with no budget.
func checkKV(_ operations: [KVOperation]) -> CheckResult {
  LinearizabilityChecker(model: KVModel()).check(operations)
}
