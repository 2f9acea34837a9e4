extension Expression {
  /// REPEAT's longest result, MySQL's default `max_allowed_packet` (64 MiB); past it REPEAT
  /// gives NULL, as MySQL's does.
  static let longestRepeat: Int128 = 64 << 20

  /// A string function of `values`, as MySQL's: NULL if an argument is (CONCAT_WS skips NULL
  /// strings after its separator); a number given for a string is its text, a string given for
  /// a number its integer prefix (`Datum.castText()`, `castInteger()`). Positions count from 1,
  /// negative ones from the end. `unit` says whether lengths and positions count bytes or
  /// UTF-8 characters. Comparisons (STRCMP, LOCATE, INSTR, REPLACE, TRIM) are bytewise,
  /// case-sensitive, as TinySQL's binary strings compare.
  static func string(
    _ function: ScalarFunction.StringFunction, _ values: [Datum]
  ) throws(CoprocessorError) -> Datum {
    switch function {
    case .concatWS:
      return try concatWS(values)
    case .concat:
      var result: [UInt8] = []
      for value in values {
        guard let text = try value.castText() else { return .null }
        result += text
      }
      return .bytes(result)
    case .length:
      guard let text = try values[0].castText() else { return .null }
      return .int(Int64(text.count))
    case .charLength(let unit):
      guard let text = try values[0].castText() else { return .null }
      return .int(Int64(boundaries(text, unit).count - 1))
    case .strcmp:
      guard let a = try values[0].castText(), let b = try values[1].castText() else {
        return .null
      }
      return .int(a == b ? 0 : a.lexicographicallyPrecedes(b) ? -1 : 1)
    case .upper, .lower:
      guard let text = try values[0].castText() else { return .null }
      return .bytes(caseMapped(text, upper: function == .upper))
    case .left(let unit), .right(let unit):
      guard let text = try values[0].castText(), let length = try values[1].castInteger() else {
        return .null
      }
      let bounds = boundaries(text, unit)
      let count = bounds.count - 1
      let taken = Int(clamping: max(0, min(length, Int128(count))))
      return .bytes(
        function == .left(unit)
          ? Array(text[..<bounds[taken]]) : Array(text[bounds[count - taken]...]))
    case .substring(let unit):
      guard let text = try values[0].castText(), let position = try values[1].castInteger(),
        let length = values.count > 2 ? try values[2].castInteger() : Int128.max
      else { return .null }
      return .bytes(substring(text, from: position, length: length, unit))
    case .locate(let unit):
      guard let part = try values[0].castText(), let text = try values[1].castText(),
        let position = values.count > 2 ? try values[2].castInteger() : 1
      else { return .null }
      return .int(locate(part, in: text, from: position, unit))
    case .instr(let unit):
      guard let text = try values[0].castText(), let part = try values[1].castText() else {
        return .null
      }
      return .int(locate(part, in: text, from: 1, unit))
    case .reverse(let unit):
      guard let text = try values[0].castText() else { return .null }
      let bounds = boundaries(text, unit)
      var reversed: [UInt8] = []
      reversed.reserveCapacity(text.count)
      for index in stride(from: bounds.count - 2, through: 0, by: -1) {
        reversed += text[bounds[index]..<bounds[index + 1]]
      }
      return .bytes(reversed)
    case .trim:
      guard let text = try values[0].castText(),
        let removed = values.count > 1 ? try values[1].castText() : [UInt8(ascii: " ")],
        let direction = values.count > 2 ? try values[2].castInteger() : 0
      else { return .null }
      let side = ScalarFunction.TrimDirection(rawValue: Int64(clamping: direction)) ?? .both
      return .bytes(trim(text, removing: removed, side))
    case .ltrim, .rtrim:
      guard let text = try values[0].castText() else { return .null }
      return .bytes(
        trim(text, removing: [UInt8(ascii: " ")], function == .ltrim ? .leading : .trailing))
    case .replace:
      guard let text = try values[0].castText(), let from = try values[1].castText(),
        let to = try values[2].castText()
      else { return .null }
      return .bytes(replace(text, from, to))
    case .hex:
      switch values[0] {
      case .null: return .null
      case .int(let value):
        return .bytes(Array(String(UInt64(bitPattern: value), radix: 16).uppercased().utf8))
      case .uint(let value): return .bytes(Array(String(value, radix: 16).uppercased().utf8))
      default:
        guard let text = try values[0].castText() else { return .null }
        let digits = Array("0123456789ABCDEF".utf8)
        return .bytes(text.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
      }
    case .pad(let leading, let unit):
      guard let text = try values[0].castText(), let length = try values[1].castInteger(),
        let padding = try values[2].castText()
      else { return .null }
      return pad(text, to: length, with: padding, leading: leading, unit)
    case .repeat:
      guard let text = try values[0].castText(), let times = try values[1].castInteger() else {
        return .null
      }
      guard times > 0, !text.isEmpty else { return .bytes([]) }
      guard Int128(text.count) * times <= longestRepeat else { return .null }
      return .bytes(Array(repeatElement(text, count: Int(times)).joined()))
    }
  }

  /// `LPAD`/`RPAD`: `text` cut or padded with repeats of `padding` to `length` units; NULL for
  /// a negative length, or when padding is needed and `padding` is empty (MySQL's rules).
  private static func pad(
    _ text: [UInt8], to length: Int128, with padding: [UInt8], leading: Bool,
    _ unit: ScalarFunction.TextUnit
  ) -> Datum {
    guard length >= 0, length <= longestRepeat else { return .null }
    let bounds = boundaries(text, unit)
    let count = Int128(bounds.count - 1)
    if length <= count { return .bytes(Array(text[..<bounds[Int(length)]])) }
    let padBounds = boundaries(padding, unit)
    let padUnits = padBounds.count - 1
    guard padUnits > 0 else { return .null }
    var fill: [UInt8] = []
    var needed = Int(length - count)
    while needed > 0 {
      let take = min(needed, padUnits)
      fill += padding[..<padBounds[take]]
      needed -= take
    }
    return .bytes(leading ? fill + text : text + fill)
  }

  /// `CONCAT_WS(separator, s, ...)`: the strings that are not NULL, joined by the separator;
  /// NULL if the separator is.
  private static func concatWS(_ values: [Datum]) throws(CoprocessorError) -> Datum {
    guard let separator = try values[0].castText() else { return .null }
    var result: [UInt8] = []
    var first = true
    for value in values.dropFirst() {
      guard let text = try value.castText() else { continue }
      if !first { result += separator }
      result += text
      first = false
    }
    return .bytes(result)
  }

  /// Where each byte or character of `text` starts, then `text.count`.
  private static func boundaries(_ text: [UInt8], _ unit: ScalarFunction.TextUnit) -> [Int] {
    unit == .bytes ? Array(0...text.count) : UTF8Characters.boundaries(text)
  }

  /// `SUBSTRING(text, position, length)`: from `position` (1 the first, -1 the last, 0 or past
  /// either end nothing), at most `length` units (none if it is not positive).
  private static func substring(
    _ text: [UInt8], from position: Int128, length: Int128, _ unit: ScalarFunction.TextUnit
  ) -> [UInt8] {
    let bounds = boundaries(text, unit)
    let count = Int128(bounds.count - 1)
    let start = position > 0 ? position - 1 : count + position
    guard start >= 0, start < count, length > 0 else { return [] }
    let end = min(count, start + min(length, count))
    return Array(text[bounds[Int(start)]..<bounds[Int(end)]])
  }

  /// `LOCATE(part, text, position)`: where `part` first starts in `text` at or after
  /// `position`, counting from 1; 0 if nowhere (or `position` is not within the text). An
  /// empty `part` is found at `position`.
  private static func locate(
    _ part: [UInt8], in text: [UInt8], from position: Int128, _ unit: ScalarFunction.TextUnit
  ) -> Int64 {
    let bounds = boundaries(text, unit)
    let last = bounds.count - boundaries(part, unit).count
    guard position >= 1, position - 1 <= Int128(last) else { return 0 }
    for index in Int(position - 1)...last where text[bounds[index]...].starts(with: part) {
      return Int64(index + 1)
    }
    return 0
  }

  /// `text` without the repetitions of `removed` at the ends `direction` says.
  private static func trim(
    _ text: [UInt8], removing removed: [UInt8], _ direction: ScalarFunction.TrimDirection
  ) -> [UInt8] {
    guard !removed.isEmpty else { return text }
    var (start, end) = (0, text.count)
    if direction != .trailing {
      while end - start >= removed.count,
        text[start..<start + removed.count].elementsEqual(removed)
      {
        start += removed.count
      }
    }
    if direction != .leading {
      while end - start >= removed.count, text[end - removed.count..<end].elementsEqual(removed) {
        end -= removed.count
      }
    }
    return Array(text[start..<end])
  }

  /// `REPLACE(text, from, to)`: every occurrence of `from`, left to right without overlaps,
  /// replaced by `to`; `text` unchanged when `from` is empty.
  private static func replace(_ text: [UInt8], _ from: [UInt8], _ to: [UInt8]) -> [UInt8] {
    guard !from.isEmpty else { return text }
    var result: [UInt8] = []
    var index = 0
    while index < text.count {
      if text[index...].starts(with: from) {
        result += to
        index += from.count
      } else {
        result.append(text[index])
        index += 1
      }
    }
    return result
  }

  /// `UPPER(text)` or `LOWER(text)`, character by character: Unicode's mapping of each where it
  /// is a single character (so `ß` stays, as in MySQL), the bytes of a malformed sequence as
  /// they are.
  private static func caseMapped(_ text: [UInt8], upper: Bool) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(text.count)
    UTF8Characters.forEach(in: text) { range, scalar in
      guard let scalar else {
        result += text[range]
        return
      }
      let mapping = upper ? scalar.properties.uppercaseMapping : scalar.properties.lowercaseMapping
      let scalars = Array(mapping.unicodeScalars)
      Unicode.UTF8.encode(scalars.count == 1 ? scalars[0] : scalar) { result.append($0) }
    }
    return result
  }
}
