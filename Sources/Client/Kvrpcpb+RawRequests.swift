import Foundation
import TinyKVProto

// The raw requests, built from what the clients' methods take (an empty `cf` means `default`).

extension Kvrpcpb_RawGetRequest {
  init(key: Data, cf: String) {
    self.init()
    self.key = key
    self.cf = cf
  }
}

extension Kvrpcpb_RawPutRequest {
  init(key: Data, value: Data, cf: String) {
    self.init()
    self.key = key
    self.value = value
    self.cf = cf
  }
}

extension Kvrpcpb_RawDeleteRequest {
  init(key: Data, cf: String) {
    self.init()
    self.key = key
    self.cf = cf
  }
}

extension Kvrpcpb_RawScanRequest {
  init(from start: Data, limit: UInt32, cf: String) {
    self.init()
    self.startKey = start
    self.limit = limit
    self.cf = cf
  }
}
