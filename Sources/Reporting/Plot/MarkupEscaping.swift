/// Escaping of text for XML, SVG and XHTML.
package enum MarkupEscaping {
  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, and with the
  /// characters XML 1.0 forbids (control characters other than tab, newline
  /// and carriage return; U+FFFE, U+FFFF) removed, so that the result is
  /// always safe in element content and in quoted attribute values.
  package static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      default:
        let v = scalar.value
        if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
