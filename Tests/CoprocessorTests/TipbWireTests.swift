import Foundation
import Testing
import TipbProto

/// Our tipb messages put each field on tipb's number and wire type, so TinySQL's requests
/// decode here and our responses decode there. The bytes are worked out by hand from protobuf's
/// encoding (a key byte is `number << 3 | wire type`: 0 varint, 2 length-delimited) and tipb's
/// field numbers; scripts/check-tipb-proto.py compares the whole schema with upstream's files.
struct TipbWireTests {
  @Test("a DAG request as TinySQL sends it: a table scan, a selection, output offsets")
  func dagRequestBytes() throws {
    var scan = Tipb_Executor()
    scan.tp = .typeTableScan
    scan.tblScan.tableID = 45
    var column = Tipb_ColumnInfo()
    column.columnID = 1
    column.pkHandle = true
    scan.tblScan.columns = [column]
    var condition = Tipb_Expr()
    condition.tp = .scalarFunc
    condition.sig = .gtint
    var selection = Tipb_Executor()
    selection.tp = .typeSelection
    selection.selection.conditions = [condition]
    var request = Tipb_DAGRequest()
    request.executors = [scan, selection]
    request.outputOffsets = [0]
    request.encodeType = .typeDefault

    let expected: [UInt8] =
      // executors (2), 13 bytes: tp (1) = 0; tbl_scan (2), 9 bytes: table_id (1) = 45,
      // columns (2), 5 bytes: column_id (1) = 1, pk_handle (21: key 0xa8 0x01) = true
      [0x12, 13, 0x08, 0, 0x12, 9, 0x08, 45, 0x12, 5, 0x08, 1, 0xa8, 0x01, 1]
      // executors (2), 11 bytes: tp (1) = 2; selection (4), 7 bytes: conditions (1), 5 bytes:
      // tp (1) = 10000 (varint 0x90 0x4e), sig (4) = GTInt 120
      + [0x12, 11, 0x08, 2, 0x22, 7, 0x0a, 5, 0x08, 0x90, 0x4e, 0x20, 120]
      // output_offsets (5, repeated uint32, not packed in proto2) = [0]; encode_type (8) = 0
      + [0x28, 0, 0x40, 0]
    #expect(Array(try request.serializedBytes() as [UInt8]) == expected)
    #expect(try Tipb_DAGRequest(serializedBytes: expected) == request)
  }

  @Test("a select response's chunk: rows_data on field 3, an error's code and message")
  func selectResponseBytes() throws {
    var chunk = Tipb_Chunk()
    chunk.rowsData = Data([0x08, 0x02])
    var response = Tipb_SelectResponse()
    response.chunks = [chunk]
    response.error.code = 1105
    response.error.msg = "x"
    let expected: [UInt8] =
      // error (1), 6 bytes: code (1) = 1105 (varint 0xd1 0x08), msg (2) = "x"
      [0x0a, 6, 0x08, 0xd1, 0x08, 0x12, 1, 0x78]
      // chunks (3), 4 bytes: rows_data (3) = 08 02
      + [0x1a, 4, 0x1a, 2, 0x08, 0x02]
    #expect(Array(try response.serializedBytes() as [UInt8]) == expected)
  }
}
