import NIOCore
import Synchronization

/// The server's open connections: admission against the limit, connection ids, and the state a
/// graceful stop needs (which connections are between commands and can be closed at once).
final class ConnectionRegistry: Sendable {
  private struct Entry {
    let channel: any Channel
    var busy = false
  }

  private struct State {
    var entries: [UInt32: Entry] = [:]
    var nextID: UInt32 = 1
    var stopping = false
  }

  private let state = Mutex(State())
  private let limit: Int

  init(limit: Int) { self.limit = limit }

  /// A fresh connection id (never 0).
  func makeID() -> UInt32 {
    state.withLock { state in
      defer { state.nextID = state.nextID == .max ? 1 : state.nextID + 1 }
      return state.nextID
    }
  }

  /// Registers connection `id` unless the server is at its limit or stopping.
  func admit(_ id: UInt32, channel: any Channel) -> Bool {
    state.withLock { state in
      guard !state.stopping, state.entries.count < limit else { return false }
      state.entries[id] = Entry(channel: channel)
      return true
    }
  }

  /// Marks `id` as running a command (a stop lets it finish); false when the server is stopping.
  func beginCommand(_ id: UInt32) -> Bool {
    state.withLock { state in
      guard !state.stopping else { return false }
      state.entries[id]?.busy = true
      return true
    }
  }

  /// Marks `id` idle again; false when the server is stopping and the connection should end.
  func endCommand(_ id: UInt32) -> Bool {
    state.withLock { state in
      state.entries[id]?.busy = false
      return !state.stopping
    }
  }

  func remove(_ id: UInt32) {
    _ = state.withLock { $0.entries.removeValue(forKey: id) }
  }

  /// How many connections are open.
  var count: Int { state.withLock { $0.entries.count } }

  /// Refuses new connections and commands, and closes the connections that are between
  /// commands; busy ones end when their command is answered.
  func stop() {
    let idle = state.withLock { state in
      state.stopping = true
      return state.entries.values.filter { !$0.busy }.map(\.channel)
    }
    for channel in idle { channel.close(promise: nil) }
  }
}
