import Storage
import TinyKVProto

extension RegionError {
  /// `RegionNotFound`: region `regionID` has no peer on this store (never had, or removed).
  static func regionNotFound(_ regionID: UInt64, storeID: UInt64) -> RegionError {
    var error = Errorpb_Error()
    error.message = "region \(regionID) is not on store \(storeID)"
    error.regionNotFound.regionID = regionID
    return RegionError(error)
  }

  /// `EpochNotMatch`: the request names another epoch than `region`'s. The current regions are
  /// `region` and `splitOff`, the regions split off it that this store holds (as TiKV answers,
  /// so a client learns every region of its stale range from one answer).
  static func epochNotMatch(
    _ region: Metapb_Region, splitOff: [Metapb_Region] = []
  ) -> RegionError {
    var error = Errorpb_Error()
    error.message = "epoch not match for region \(region.id)"
    error.epochNotMatch.currentRegions = [region] + splitOff
    return RegionError(error)
  }

  /// `StaleCommand`: the command was dropped by Raft (its entry overwritten by a new leader, a
  /// read or proposal lost to a term change or a leadership transfer); retrying may succeed.
  static func staleCommand(_ reason: String) -> RegionError {
    var error = Errorpb_Error()
    error.message = "stale command: \(reason)"
    error.staleCommand = Errorpb_StaleCommand()
    return RegionError(error)
  }
}
