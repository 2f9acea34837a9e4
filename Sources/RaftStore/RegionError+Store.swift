import Foundation
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

  /// `KeyNotInRegion`: `key` lies outside `region`'s range.
  static func keyNotInRegion(_ key: Data, _ region: Metapb_Region) -> RegionError {
    var error = Errorpb_Error()
    error.message = "key is not in region \(region.id)"
    error.keyNotInRegion.key = key
    error.keyNotInRegion.regionID = region.id
    error.keyNotInRegion.startKey = region.startKey
    error.keyNotInRegion.endKey = region.endKey
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

extension RegionError {
  /// `UndeterminedResult`: the command was in the log when this store lost track of it (its
  /// peer was removed, a snapshot replaced its entry, the store stopped), so it may or may not
  /// take effect. A client resends a write on this only within its session.
  static func undetermined(_ reason: String) -> RegionError {
    var error = Errorpb_Error()
    error.message = "outcome unknown: \(reason)"
    error.undeterminedResult = Errorpb_UndeterminedResult()
    return RegionError(error)
  }

  /// `UndeterminedResult` for a resent session write that the region cannot check: the region
  /// does not know its session (expired, or it never wrote there).
  static func sessionUnknown(_ sessionID: UInt64, regionID: UInt64) -> RegionError {
    var error = Errorpb_Error()
    error.message =
      "outcome unknown: session \(sessionID) is not known in region \(regionID) (expired, or it"
      + " never wrote there), so a resent write of it cannot be checked"
    error.undeterminedResult.sessionUnknown = true
    return RegionError(error)
  }
}
