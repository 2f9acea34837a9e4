import Linearizability
import Synchronization
import Testing

@Suite("History recorder")
struct HistoryTests {
  @Test("records invocations and completions with the injected clock")
  func recordsEvents() {
    let history = History<KVInput, String>(clock: LogicalClock())
    let put = history.invoke(client: 0, .put(key: "k", value: "a"))
    let get = history.invoke(client: 1, .get(key: "k"))
    history.complete(put, .ok(""))
    history.complete(get, .unknown)
    history.complete(get, .ok("a"))
    let records = history.records
    #expect(records.map(\.call) == [1, 2])
    #expect(records[0].completion == RecordedCompletion(result: .ok(""), time: 3))
    #expect(records[1].completion == RecordedCompletion(result: .unknown, time: 4))
    #expect(history.operations().map(\.completion) == [.returned("", at: 3), .unknown])
  }

  @Test("a pending invocation is an unknown outcome and a failed one is left out")
  func pendingAndFailed() {
    let history = History<KVInput, String>(clock: LogicalClock())
    _ = history.invoke(client: 0, .put(key: "k", value: "a"))
    history.complete(history.invoke(client: 1, .put(key: "k", value: "b")), .failed)
    history.complete(OperationID(rawValue: 99), .ok(""))
    let operations = history.operations()
    #expect(operations.map(\.input) == [.put(key: "k", value: "a")])
    #expect(operations.map(\.completion) == [.unknown])
  }

  @Test("concurrent clients of a register behind a lock record a linearizable history")
  func concurrentClients() async {
    let history = History<RegisterInput, RegisterOutput>()
    let register = LockedRegister()
    await withTaskGroup(of: Void.self) { group in
      for client in 0..<8 {
        group.addTask {
          for step in 0..<200 {
            let input: RegisterInput =
              switch step % 3 {
              case 0: .read
              case 1: .write(client * 1000 + step)
              default: .compareAndSet(expected: step - 1, new: step)
              }
            let id = history.invoke(client: client, input)
            let output = register.perform(input)
            history.complete(id, .ok(output))
          }
        }
      }
    }
    let operations = history.operations()
    #expect(operations.count == 1600)
    #expect(operations.allSatisfy { ($0.returnTime ?? 0) >= $0.call })
    #expect(LinearizabilityChecker(model: RegisterModel()).check(operations).isLinearizable)
  }
}

/// A register whose operations are atomic because they run under a lock.
private final class LockedRegister: Sendable {
  private let value = Mutex(0)

  /// Performs `input` atomically.
  func perform(_ input: RegisterInput) -> RegisterOutput {
    value.withLock { value in
      switch input {
      case .read:
        return .read(value)
      case .write(let new):
        value = new
        return .written
      case .compareAndSet(let expected, let new):
        guard value == expected else { return .compareAndSet(succeeded: false) }
        value = new
        return .compareAndSet(succeeded: true)
      }
    }
  }
}
