import Foundation
import TipbProto

/// tipb messages as TinySQL's `expr_to_pb` and `model.ColumnsToProto` write them, for the
/// clients that build requests (the benchmark, the tests, a SQL front end): the other direction
/// of `Expression(_:columnCount:)`.
extension Tipb_Expr {
  /// The input row's column at `offset` (its offset as a comparable integer).
  public static func column(_ offset: Int64) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = .columnRef
    expr.val = comparable(offset)
    return expr
  }

  /// A constant: integers and floats in their comparable 8-byte forms, strings as their bytes.
  /// - Precondition: `datum` is a value, not a range bound (`minNotNull`, `maxValue`).
  public static func constant(_ datum: Datum) -> Tipb_Expr {
    var expr = Tipb_Expr()
    var bytes: [UInt8] = []
    switch datum {
    case .null: expr.tp = .null
    case .int(let value):
      expr.tp = .int64
      NumberCodec.appendInt(value, to: &bytes)
    case .uint(let value):
      expr.tp = .uint64
      NumberCodec.appendUint(value, to: &bytes)
    case .float(let value):
      expr.tp = .float64
      NumberCodec.appendFloat(value, to: &bytes)
    case .bytes(let value):
      expr.tp = .string
      bytes = value
    case .minNotNull, .maxValue: preconditionFailure("a range bound is not a constant")
    }
    expr.val = Data(bytes)
    return expr
  }

  /// The scalar function `sig` of `children`.
  public static func call(_ sig: Tipb_ScalarFuncSig, _ children: Tipb_Expr...) -> Tipb_Expr {
    call(sig, children)
  }

  /// The scalar function `sig` of `children`.
  public static func call(_ sig: Tipb_ScalarFuncSig, _ children: [Tipb_Expr]) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = .scalarFunc
    expr.sig = sig
    expr.children = children
    return expr
  }

  /// The aggregate function `tp` (`.count`, `.sum`, ...) of `children`.
  public static func aggregate(_ tp: Tipb_ExprType, _ children: Tipb_Expr...) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = tp
    expr.children = children
    return expr
  }

  private static func comparable(_ value: Int64) -> Data {
    var bytes: [UInt8] = []
    NumberCodec.appendInt(value, to: &bytes)
    return Data(bytes)
  }
}

extension Tipb_ColumnInfo {
  /// Column `id` of MySQL type `type`; `pkHandle` for the integer primary key, the row's handle.
  public init(id: Int64, type: MySQLType, pkHandle: Bool = false, unsigned: Bool = false) {
    self.init()
    columnID = id
    tp = type.rawValue
    self.pkHandle = pkHandle
    if unsigned { flag = MySQLType.unsignedFlag }
  }
}
