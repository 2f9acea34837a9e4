import Linearizability
import Testing

@Suite("Register pruning")
struct RegisterModelPruningTests {
  typealias RegisterOperation = ClientOperation<RegisterInput, RegisterOutput>

  private func known(_ input: RegisterInput, _ output: RegisterOutput, at time: UInt64)
    -> RegisterOperation
  {
    RegisterOperation(client: 0, input: input, call: time, completion: .returned(output, at: time))
  }

  private func unknown(_ input: RegisterInput, at time: UInt64) -> RegisterOperation {
    RegisterOperation(client: 1, input: input, call: time, completion: .unknown)
  }

  private func prunable(_ partition: [RegisterOperation]) -> Set<Int> {
    RegisterModel().prunableOperations(in: partition)
  }

  @Test("a read with unknown outcome is pruned")
  func unknownRead() {
    #expect(prunable([known(.write(1), .written, at: 1), unknown(.read, at: 2)]) == [1])
  }

  @Test("a write or compare-and-set with unknown outcome is pruned when nothing observed its value")
  func unobservedWrites() {
    let partition = [
      unknown(.write(5), at: 1),
      unknown(.compareAndSet(expected: 0, new: 6), at: 2),
      unknown(.write(7), at: 3),
      known(.read, .read(7), at: 10),
      unknown(.write(8), at: 11),
      known(.compareAndSet(expected: 8, new: 9), .compareAndSet(succeeded: true), at: 20),
      unknown(.compareAndSet(expected: 6, new: 4), at: 21),
    ]
    // 5 and 4 were never observed; 6 is expected by a compare-and-set, 7 read, 8 expected.
    #expect(prunable(partition) == [0, 6])
  }

  @Test("a failed compare-and-set keeps every write: it observed the value was not its own")
  func failedCompareAndSet() {
    let history = [
      unknown(.write(5), at: 1),
      known(.compareAndSet(expected: 0, new: 1), .compareAndSet(succeeded: false), at: 10),
      known(.write(7), .written, at: 20),
      known(.read, .read(7), at: 30),
    ]
    #expect(prunable(history).isEmpty)
    // Without the write of 5 the register would still hold 0 and the swap would succeed.
    #expect(LinearizabilityChecker(model: RegisterModel()).check(history).isLinearizable)
  }
}
