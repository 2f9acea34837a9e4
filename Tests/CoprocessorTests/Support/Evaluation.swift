import Coprocessor
import Foundation
import TipbProto

/// Expressions built and evaluated the short way, through the wire: each is serialised, read
/// back and compiled by `Expression(_:columnCount:)`, as a store or the SQL layer receives it.
enum Evaluation {
  /// `pb` over `row`.
  static func evaluate(_ pb: Tipb_Expr, _ row: [Datum] = []) throws -> Datum {
    let wire = try Tipb_Expr(serializedBytes: try pb.serializedBytes() as [UInt8])
    return try Expression(wire, columnCount: row.count).evaluate(row)
  }

  /// The scalar function `sig` of constant `arguments`.
  static func call(_ sig: Tipb_ScalarFuncSig, _ arguments: Datum...) throws -> Datum {
    try evaluate(Tipb_Expr.call(sig, arguments.map(Tipb_Expr.constant)))
  }

  /// The scalar function `sig` of constant `arguments`.
  static func call(_ sig: Tipb_ScalarFuncSig, _ arguments: [Datum]) throws -> Datum {
    try evaluate(Tipb_Expr.call(sig, arguments.map(Tipb_Expr.constant)))
  }
}

extension Datum {
  /// A string's UTF-8 bytes.
  static func text(_ string: String) -> Datum { .bytes(Array(string.utf8)) }
}
