import Coprocessor
import Foundation
import Testing
import TipbProto

/// Reading tipb answers the short way.
enum PB {
  /// The rows of a response's chunks, `columns` datums each.
  static func rows(_ response: Tipb_SelectResponse, columns: Int) throws -> [[Datum]] {
    var rows: [[Datum]] = []
    for chunk in response.chunks {
      var reader = ByteReader(chunk.rowsData)
      while !reader.isEmpty {
        var row: [Datum] = []
        for _ in 0..<columns { row.append(try reader.datum()) }
        rows.append(row)
      }
    }
    return rows
  }
}
