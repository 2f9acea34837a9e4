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

  /// The scalar function `sig` of `children`; `fieldType`, when given, is its result type.
  /// Every function this store evaluates is built so (`.concat`, `.substring3ArgsUtf8`,
  /// `.modInt`, ...: docs/COPROCESSOR.md lists them); the helpers below pick the signature
  /// for the functions whose signature or arguments depend on their types.
  public static func call(
    _ sig: Tipb_ScalarFuncSig, _ children: [Tipb_Expr], fieldType: Tipb_FieldType? = nil
  ) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = .scalarFunc
    expr.sig = sig
    expr.children = children
    if let fieldType { expr.fieldType = fieldType }
    return expr
  }

  /// `CAST(child AS ...)` from evaluation type `from` to `to` (`CastIntAsString`, ...), with
  /// its result type as TiDB writes it: BIGINT, DOUBLE or VARCHAR; `unsigned` (for an integer
  /// `to`) sets the unsigned flag, which makes it `CAST(child AS UNSIGNED)`.
  public static func cast(
    _ child: Tipb_Expr, from: ScalarFunction.Kind, to: ScalarFunction.Kind,
    unsigned: Bool = false
  ) -> Tipb_Expr {
    let sig: Tipb_ScalarFuncSig =
      switch (from, to) {
      case (.int, .int): .castIntAsInt
      case (.int, .real): .castIntAsReal
      case (.int, .string): .castIntAsString
      case (.real, .int): .castRealAsInt
      case (.real, .real): .castRealAsReal
      case (.real, .string): .castRealAsString
      case (.string, .int): .castStringAsInt
      case (.string, .real): .castStringAsReal
      case (.string, .string): .castStringAsString
      }
    let type = to.pick(MySQLType.longlong, .double, .varString)
    return call(
      sig, [child], fieldType: Tipb_FieldType(type: type, unsigned: unsigned && to == .int))
  }

  /// `text LIKE pattern ESCAPE escape` (`LikeSig`; the escape travels as its code point).
  public static func like(
    _ text: Tipb_Expr, _ pattern: Tipb_Expr, escape: Unicode.Scalar = "\\"
  ) -> Tipb_Expr {
    call(.likeSig, [text, pattern, constant(.int(Int64(escape.value)))])
  }

  /// `CASE WHEN when1 THEN then1 ... [ELSE otherwise] END` with results of evaluation type
  /// `kind` (`CaseWhenInt`, `CaseWhenReal`, `CaseWhenString`).
  public static func caseWhen(
    _ kind: ScalarFunction.Kind, _ branches: [(when: Tipb_Expr, then: Tipb_Expr)],
    else otherwise: Tipb_Expr? = nil
  ) -> Tipb_Expr {
    let children = branches.flatMap { [$0.when, $0.then] } + (otherwise.map { [$0] } ?? [])
    return call(kind.pick(.caseWhenInt, .caseWhenReal, .caseWhenString), children)
  }

  /// `COALESCE(children...)` of evaluation type `kind`.
  public static func coalesce(_ kind: ScalarFunction.Kind, _ children: [Tipb_Expr]) -> Tipb_Expr {
    call(kind.pick(.coalesceInt, .coalesceReal, .coalesceString), children)
  }

  /// `GREATEST(children...)` of evaluation type `kind`.
  public static func greatest(_ kind: ScalarFunction.Kind, _ children: [Tipb_Expr]) -> Tipb_Expr {
    call(kind.pick(.greatestInt, .greatestReal, .greatestString), children)
  }

  /// `LEAST(children...)` of evaluation type `kind`.
  public static func least(_ kind: ScalarFunction.Kind, _ children: [Tipb_Expr]) -> Tipb_Expr {
    call(kind.pick(.leastInt, .leastReal, .leastString), children)
  }

  /// `TRIM(direction removed FROM text)` (`Trim3Args`).
  public static func trim(
    _ text: Tipb_Expr, removing removed: Tipb_Expr, from direction: ScalarFunction.TrimDirection
  ) -> Tipb_Expr {
    call(.trim3Args, [text, removed, constant(.int(direction.rawValue))])
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

extension ScalarFunction.Kind {
  /// The one of `int`, `real` and `string` for this evaluation type.
  fileprivate func pick<T>(_ int: T, _ real: T, _ string: T) -> T {
    switch self {
    case .int: int
    case .real: real
    case .string: string
    }
  }
}

extension Tipb_FieldType {
  /// MySQL type `type`, with the unsigned flag when `unsigned`.
  public init(type: MySQLType, unsigned: Bool = false) {
    self.init()
    tp = type.rawValue
    if unsigned { flag = UInt32(MySQLType.unsignedFlag) }
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
