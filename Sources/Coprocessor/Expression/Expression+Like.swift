extension Expression {
  /// `s LIKE pattern [ESCAPE c]` over the arguments s, pattern and c (a code point, `\` when
  /// absent): `%` matches any run of characters, `_` exactly one character (of UTF-8, not a
  /// byte), the escape character makes the next character literal (a trailing one is itself).
  /// Characters compare by their bytes, so the match is case-sensitive: TinySQL has no
  /// collations and compares strings as binary, and so does its LIKE. NULL if any argument is.
  /// A number is matched by its text.
  /// - Throws: `CoprocessorError` for an escape that is no code point.
  static func like(_ values: [Datum]) throws(CoprocessorError) -> Datum {
    guard let text = try values[0].castText(), let pattern = try values[1].castText(),
      let escape = values.count > 2 ? try values[2].castInteger() : Int128(UInt8(ascii: "\\"))
    else { return .null }
    guard let code = UInt32(exactly: escape), let scalar = Unicode.Scalar(code) else {
      throw CoprocessorError("LIKE escape \(escape) is no character")
    }
    let items = compile(pattern, escape: Array(String(Character(scalar)).utf8))
    return .boolean(matches(text, items))
  }

  /// One step of a LIKE pattern.
  private enum PatternItem {
    /// This character, its bytes.
    case literal(ArraySlice<UInt8>)
    /// `_`.
    case one
    /// `%`; never two in a row.
    case any
  }

  private static func compile(_ pattern: [UInt8], escape: [UInt8]) -> [PatternItem] {
    let bounds = UTF8Characters.boundaries(pattern)
    let count = bounds.count - 1
    var items: [PatternItem] = []
    var index = 0
    while index < count {
      let character = pattern[bounds[index]..<bounds[index + 1]]
      index += 1
      if character.elementsEqual(escape) {
        if index < count {
          items.append(.literal(pattern[bounds[index]..<bounds[index + 1]]))
          index += 1
        } else {
          items.append(.literal(character))
        }
      } else if character.elementsEqual([UInt8(ascii: "_")]) {
        items.append(.one)
      } else if character.elementsEqual([UInt8(ascii: "%")]) {
        if case .any = items.last { continue }
        items.append(.any)
      } else {
        items.append(.literal(character))
      }
    }
    return items
  }

  /// Whether `text` matches `items` whole: a greedy match that, on a mismatch, lets the last
  /// `%` take one more character (linear in the text for each `%`; research.swtch.com/glob).
  private static func matches(_ text: [UInt8], _ items: [PatternItem]) -> Bool {
    let bounds = UTF8Characters.boundaries(text)
    let count = bounds.count - 1
    var (item, character) = (0, 0)
    // Where to resume after the last `%`: its item and the character it takes up to next.
    var (retryItem, retryCharacter) = (0, 0)
    while item < items.count || character < count {
      if item < items.count {
        switch items[item] {
        case .literal(let literal):
          if character < count,
            text[bounds[character]..<bounds[character + 1]].elementsEqual(literal)
          {
            item += 1
            character += 1
            continue
          }
        case .one:
          if character < count {
            item += 1
            character += 1
            continue
          }
        case .any:
          (retryItem, retryCharacter) = (item, character + 1)
          item += 1
          continue
        }
      }
      guard retryCharacter > 0, retryCharacter <= count else { return false }
      (item, character) = (retryItem, retryCharacter)
    }
    return true
  }
}
