import Foundation
import TipbProto

/// An expression of a pushed-down request, checked once and then evaluated per row: a constant,
/// a column of the executor's input row, or a scalar function of sub-expressions.
///
/// The one evaluator of the system: the stores run pushed-down `tipb.Expr` trees with it, and a
/// SQL front end evaluates the same trees over its own rows the same way, so both agree:
///
///     let filter = try Expression(pb, columnCount: row.count)  // once per statement
///     let value = try filter.evaluate(row)                      // per row
public indirect enum Expression: Sendable, Equatable {
  case constant(Datum)
  /// The input row's column at this offset.
  case column(Int)
  case function(ScalarFunction, [Expression])

  /// The deepest expression accepted: evaluation recurses once per level, on the threads of the
  /// stores' read pool and of the SQL server's tasks, whose stacks a few hundred levels fill.
  public static let maxDepth = 256

  /// The expression `pb` describes, over input rows of `columnCount` columns: a column
  /// reference (`Tipb_Expr.column(_:)`) is an offset into the row `evaluate(_:)` is given.
  /// - Throws: `CoprocessorError` for a column past the row, a constant that does not decode,
  ///   an expression kind or a function this store does not evaluate, a wrong argument count,
  ///   or nesting deeper than `maxDepth`.
  public init(_ pb: Tipb_Expr, columnCount: Int) throws(CoprocessorError) {
    try self.init(pb, columnCount: columnCount, depth: 1)
  }

  private init(_ pb: Tipb_Expr, columnCount: Int, depth: Int) throws(CoprocessorError) {
    guard depth <= Self.maxDepth else {
      throw CoprocessorError("an expression nested more than \(Self.maxDepth) levels deep")
    }
    switch pb.tp {
    case .columnRef:
      var reader = ByteReader(pb.val)
      guard let offset = try? reader.int(), reader.isEmpty,
        (0..<Int64(columnCount)).contains(offset)
      else { throw CoprocessorError("a column reference past the \(columnCount) input columns") }
      self = .column(Int(offset))
    case .scalarFunc:
      guard pb.hasSig, let function = ScalarFunction(pb.sig, fieldType: pb.fieldType) else {
        let number = pb.signatureNumber.map(String.init) ?? "none"
        let name = pb.hasSig ? "\(pb.sig) " : ""
        throw CoprocessorError("scalar function \(name)(signature \(number)) is not supported")
      }
      let arguments = try pb.children.map { (child) throws(CoprocessorError) in
        try Expression(child, columnCount: columnCount, depth: depth + 1)
      }
      guard function.arity.contains(arguments.count) else {
        throw CoprocessorError("\(function) with \(arguments.count) arguments")
      }
      self = .function(function, arguments)
    default:
      self = .constant(try Self.constant(pb))
    }
  }

  /// A constant's value: integers and floats in their comparable 8-byte forms, strings as
  /// their bytes (TinySQL's `expr_to_pb`).
  private static func constant(_ pb: Tipb_Expr) throws(CoprocessorError) -> Datum {
    var reader = ByteReader(pb.val)
    do {
      let datum: Datum
      switch pb.tp {
      case .null: return .null
      case .int64: datum = .int(try reader.int())
      case .uint64: datum = .uint(try reader.uint())
      case .float32, .float64: datum = .float(try reader.float())
      case .string, .bytes: return .bytes(Array(pb.val))
      default: throw CoprocessorError("expression type \(pb.tp) is not supported")
      }
      guard reader.isEmpty else { throw CodecError("extra bytes after a constant") }
      return datum
    } catch let error as CodecError {
      throw CoprocessorError("a \(pb.tp) constant does not decode: \(error)")
    } catch let error as CoprocessorError {
      throw error
    } catch {
      throw CoprocessorError("\(error)")
    }
  }
}
