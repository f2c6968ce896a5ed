/// Estimated text widths for layout, without font metrics: per-character
/// advance widths close to (slightly above) DejaVu Sans, the first font of the
/// renderer's font stack and the widest of the common sans-serif fonts.
enum TextMetrics {
  /// The approximate width of `text` in pixels at `fontSize`.
  static func width(_ text: String, fontSize: Double) -> Double {
    var ems = 0.0
    for scalar in text.unicodeScalars {
      ems += advance(scalar)
    }
    return ems * fontSize * 1.03
  }

  /// The advance width of one character in ems.
  static func advance(_ scalar: Unicode.Scalar) -> Double {
    switch scalar {
    case " ": return 0.32
    case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", "I": return 0.30
    case "f", "t", "r", "(", ")", "[", "]", "{", "}", "/", "\\", "-": return 0.42
    case "m", "w", "M", "W", "%", "@": return 0.95
    case "0"..."9": return 0.64
    case "A"..."Z": return 0.72
    case "a"..."z": return 0.60
    case "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻", "⁺": return 0.42
    default:
      let v = scalar.value
      if (0x0300...0x036F).contains(v) || (0x20D0...0x20FF).contains(v) { return 0 }  // combining marks
      if v >= 0x2E80 { return 1.0 }  // wide (CJK etc.)
      return 0.66
    }
  }

  /// Short operators that stay on the line of both their neighbours, so that
  /// "d = 1000" or "0.1 ± 0.02" is never broken.
  static let gluing: Set<String> = ["=", "±", "×", "≈", "<", ">", "≤", "≥", "→", "∈", "·", "/", "…", "+", "−", "-"]

  /// The words of `paragraph` (split at spaces), with each gluing operator
  /// joined to the words before and after it.
  static func words(_ paragraph: Substring) -> [String] {
    var words: [String] = []
    var glueNext = false
    for word in paragraph.split(separator: " ").map(String.init) {
      if gluing.contains(word), let last = words.last {
        words[words.count - 1] = last + " " + word
        glueNext = true
      } else if glueNext, let last = words.last {
        words[words.count - 1] = last + " " + word
        glueNext = false
      } else {
        words.append(word)
        glueNext = false
      }
    }
    return words
  }

  /// `text` broken at spaces into lines no wider than `maxWidth` (a single
  /// word wider than that gets its own line; operators such as "=" stay with
  /// their neighbours). Explicit newlines are kept.
  static func wrap(_ text: String, fontSize: Double, maxWidth: Double) -> [String] {
    var lines: [String] = []
    for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      var current = ""
      for word in words(paragraph) {
        let candidate = current.isEmpty ? String(word) : current + " " + word
        if current.isEmpty || width(candidate, fontSize: fontSize) <= maxWidth {
          current = candidate
        } else {
          lines.append(current)
          current = String(word)
        }
      }
      if !current.isEmpty { lines.append(current) }
    }
    return lines
  }
}
