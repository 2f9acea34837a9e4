extension StoreInfo {
  /// Refuses a store removed for good, as PD answers `GetStore` for one (the store itself is
  /// still reported beside the error).
  /// - Throws: `storeTombstone` if the store is a tombstone.
  public func checkNotTombstone() throws(SchedulerError) {
    if isTombstone {
      throw SchedulerError(code: .storeTombstone, message: "store \(id) is tombstone")
    }
  }
}
