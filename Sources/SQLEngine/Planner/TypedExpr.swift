import Coprocessor
import TipbProto

/// A compiled expression: the tipb tree the coprocessor evaluates (pushed down or at the
/// root), with the type of its value.
struct TypedExpr {
  var pb: Tipb_Expr
  var type: FieldType
  /// The value when the expression is a constant (literals, folded session values).
  var constant: Datum?

  var kind: ValueKind { type.kind }

  /// A constant `datum` typed by its value.
  static func constant(_ datum: Datum) -> TypedExpr {
    let type: FieldType =
      switch datum {
      case .int: FieldType(.longlong, length: 21)
      case .uint: FieldType(.longlong, length: 20, unsigned: true)
      case .float: FieldType(.double)
      case .bytes: FieldType(.varString)
      case .null, .minNotNull, .maxValue: FieldType(.null)
      }
    return TypedExpr(pb: .constant(datum), type: type, constant: datum)
  }

  /// A reference to column `offset` of the input row, of type `type`.
  static func column(_ offset: Int, _ type: FieldType) -> TypedExpr {
    TypedExpr(pb: .column(Int64(offset)), type: type)
  }

  /// Whether this is the constant NULL (its kind adapts to the other operand).
  var isNull: Bool { constant == .null }

  /// The expression as an evaluator over rows of `width` columns.
  func evaluator(width: Int) throws(SQLError) -> Expression {
    do {
      return try Expression(pb, columnCount: width)
    } catch {
      throw SQLError.internalError("cannot evaluate \(pb.tp): \(error)")
    }
  }

  /// The expression converted to evaluation type `kind` (a cast when it differs; an integer
  /// keeps its signedness).
  func cast(to kind: ValueKind) -> TypedExpr {
    if kind == self.kind || isNull { return self }
    return converted(to: kind, unsigned: false)
  }

  /// `CAST(... AS SIGNED|UNSIGNED)`: an integer of the signedness asked for.
  func castInteger(unsigned: Bool) -> TypedExpr {
    if kind == .int && type.unsigned == unsigned || isNull { return self }
    return converted(to: .int, unsigned: unsigned)
  }

  private func converted(to kind: ValueKind, unsigned: Bool) -> TypedExpr {
    let type: FieldType =
      switch kind {
      case .int: FieldType(.longlong, length: 21, unsigned: unsigned)
      case .real: FieldType(.double)
      case .string: FieldType(.varString)
      }
    return TypedExpr(pb: .cast(pb, from: self.kind, to: kind, unsigned: unsigned), type: type)
  }

  /// The expression as a condition: strings are read as numbers first (MySQL's truth of
  /// `'1abc'`).
  var asCondition: TypedExpr { kind == .string ? cast(to: .real) : self }
}
