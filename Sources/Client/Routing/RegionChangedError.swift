/// A request addressed to a region found that region changed (split, merged, moved or gone)
/// since the caller looked it up: the caller regroups its keys by their current regions.
package struct RegionChangedError: Error, CustomStringConvertible {
  /// The region the request was addressed to.
  package let regionID: UInt64

  package var description: String { "region \(regionID) changed; look its keys up again" }
}
