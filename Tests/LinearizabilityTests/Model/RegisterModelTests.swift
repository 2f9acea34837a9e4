import Linearizability
import Testing

@Suite("Register histories")
struct RegisterModelTests {
  typealias RegisterOperation = ClientOperation<RegisterInput, RegisterOutput>

  private func operation(
    _ input: RegisterInput, _ output: RegisterOutput?, _ span: ClosedRange<UInt64>, client: Int = 0
  ) -> RegisterOperation {
    RegisterOperation(
      client: client, input: input, call: span.lowerBound,
      completion: output.map { .returned($0, at: span.upperBound) } ?? .unknown)
  }

  private func check(_ operations: [RegisterOperation]) -> CheckResult {
    LinearizabilityChecker(model: RegisterModel()).check(operations)
  }

  @Test("reads, writes and compare-and-sets that follow the model are linearizable")
  func sequentialHistory() {
    let history = [
      operation(.read, .read(0), 1...2),
      operation(.write(5), .written, 3...4),
      operation(.compareAndSet(expected: 5, new: 7), .compareAndSet(succeeded: true), 5...6),
      operation(.compareAndSet(expected: 5, new: 9), .compareAndSet(succeeded: false), 7...8),
      operation(.read, .read(7), 9...10),
    ]
    #expect(check(history).isLinearizable)
  }

  @Test("a compare-and-set that reports success against another value is rejected")
  func wrongCompareAndSet() throws {
    let history = [
      operation(.write(5), .written, 1...2),
      operation(.compareAndSet(expected: 4, new: 7), .compareAndSet(succeeded: true), 3...4),
    ]
    let explanation = try #require(check(history).explanation)
    #expect(explanation.partition == "all operations")
    #expect(explanation.stateAfterPrefix == "5")
    #expect(explanation.unplaced.map(\.text) == ["cas(4, 7) -> swapped"])
  }

  @Test("a compare-and-set with unknown outcome swaps only when it matches")
  func unknownCompareAndSet() {
    let swapped = [
      operation(.write(1), .written, 1...2),
      operation(.compareAndSet(expected: 1, new: 2), nil, 3...3),
      operation(.read, .read(2), 10...11, client: 1),
    ]
    #expect(check(swapped).isLinearizable)
    let mismatched = [
      operation(.write(1), .written, 1...2),
      operation(.compareAndSet(expected: 3, new: 2), nil, 3...3),
      operation(.read, .read(2), 10...11, client: 1),
    ]
    #expect(check(mismatched).explanation?.stateAfterPrefix == "1")
  }

  @Test("an answer of the wrong kind is illegal")
  func mismatchedOutput() {
    #expect(RegisterModel().step(0, .read, .written) == nil)
    #expect(RegisterModel().step(0, .write(1), .read(0)) == nil)
  }
}
