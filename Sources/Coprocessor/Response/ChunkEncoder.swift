import Foundation
import TipbProto

/// Encodes a request's result rows as TinySQL reads them: `SelectResponse.chunks`, 64 rows per
/// chunk, each row the value-form datums of the `output_offsets` columns, one after another.
public struct ChunkEncoder {
  /// Rows per chunk, as TinyKV writes them.
  public static let rowsPerChunk = 64

  private let outputOffsets: [Int]
  public private(set) var chunks: [Tipb_Chunk] = []
  private var rowsInLast = 0

  /// - Throws: `CoprocessorError` for an output offset past the `columnCount` result columns.
  public init(outputOffsets: [UInt32], columnCount: Int) throws(CoprocessorError) {
    guard outputOffsets.allSatisfy({ Int($0) < columnCount }) else {
      throw CoprocessorError("an output offset past the \(columnCount) result columns")
    }
    self.outputOffsets = outputOffsets.map(Int.init)
  }

  /// Adds one result row.
  public mutating func append(_ row: [Datum]) {
    if chunks.isEmpty || rowsInLast == Self.rowsPerChunk {
      chunks.append(Tipb_Chunk())
      rowsInLast = 0
    }
    var bytes: [UInt8] = []
    for offset in outputOffsets { DatumCodec.append(row[offset], as: .value, to: &bytes) }
    chunks[chunks.count - 1].rowsData.append(contentsOf: bytes)
    rowsInLast += 1
  }
}
