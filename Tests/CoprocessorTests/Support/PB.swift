import Coprocessor
import Foundation
import Testing
import TipbProto

/// tipb messages written the short way, as TinySQL's `expr_to_pb` builds them.
enum PB {
  /// A constant: integers and floats in their comparable 8-byte forms, strings as their bytes.
  static func constant(_ datum: Datum) -> Tipb_Expr {
    var pb = Tipb_Expr()
    var bytes: [UInt8] = []
    switch datum {
    case .null: pb.tp = .null
    case .int(let value):
      pb.tp = .int64
      NumberCodec.appendInt(value, to: &bytes)
    case .uint(let value):
      pb.tp = .uint64
      NumberCodec.appendUint(value, to: &bytes)
    case .float(let value):
      pb.tp = .float64
      NumberCodec.appendFloat(value, to: &bytes)
    case .bytes(let value):
      pb.tp = .string
      bytes = value
    case .minNotNull, .maxValue: Issue.record("not a constant")
    }
    pb.val = Data(bytes)
    return pb
  }

  /// The input row's column at `offset`.
  static func column(_ offset: Int64) -> Tipb_Expr {
    var pb = Tipb_Expr()
    pb.tp = .columnRef
    var bytes: [UInt8] = []
    NumberCodec.appendInt(offset, to: &bytes)
    pb.val = Data(bytes)
    return pb
  }

  static func call(_ sig: Tipb_ScalarFuncSig, _ children: Tipb_Expr...) -> Tipb_Expr {
    call(sig, children)
  }

  static func call(_ sig: Tipb_ScalarFuncSig, _ children: [Tipb_Expr]) -> Tipb_Expr {
    var pb = Tipb_Expr()
    pb.tp = .scalarFunc
    pb.sig = sig
    pb.children = children
    return pb
  }

  /// An aggregate function (`.count`, `.sum`, ...) of `children`.
  static func aggregate(_ tp: Tipb_ExprType, _ children: Tipb_Expr...) -> Tipb_Expr {
    var pb = Tipb_Expr()
    pb.tp = tp
    pb.children = children
    return pb
  }

  /// A column of MySQL type `type`.
  static func columnInfo(
    _ id: Int64, _ type: MySQLType, pkHandle: Bool = false, unsigned: Bool = false
  ) -> Tipb_ColumnInfo {
    var info = Tipb_ColumnInfo()
    info.columnID = id
    info.tp = type.rawValue
    info.pkHandle = pkHandle
    if unsigned { info.flag = MySQLType.unsignedFlag }
    return info
  }

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
