import Testing

@testable import RaftTransport

@Suite("Message queue")
struct MessageQueueTests {
  @Test("what is queued while the consumer is busy comes out in one batch, in order")
  func batches() async {
    let queue = MessageQueue<Int>(capacity: 10)
    for value in 1...5 { #expect(queue.offer(value)) }
    #expect(await queue.nextBatch() == [1, 2, 3, 4, 5])
  }

  @Test("a full queue refuses, and a drained one takes again")
  func bounded() async {
    let queue = MessageQueue<Int>(capacity: 2)
    #expect(queue.offer(1))
    #expect(queue.offer(2))
    #expect(!queue.offer(3))
    #expect(queue.drain() == [1, 2])
    #expect(queue.offer(4))
  }

  @Test("a waiting consumer gets the next element, and nil once the queue is closed")
  func waitsAndCloses() async {
    let queue = MessageQueue<Int>(capacity: 2)
    async let first = queue.nextBatch()
    #expect(queue.offer(7))
    #expect(await first == [7])
    async let last = queue.nextBatch()
    #expect(queue.close() == [])
    #expect(await last == nil)
    #expect(!queue.offer(8))
  }
}
