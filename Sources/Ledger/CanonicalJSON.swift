/// A JSON value with one byte-exact serialisation, the canonical content the hash chain hashes:
/// object keys sorted by their Unicode scalars, no whitespace, integers in decimal, doubles in
/// Swift's shortest round-trip form (`0.1`, `1e-05`, `2.5`: reading one back gives the same bits),
/// non-finite doubles as the strings `"inf"`, `"-inf"`, `"nan"`, strings with `"`, `\` and control
/// characters escaped (`\u00XX`), everything else verbatim UTF-8.
package indirect enum CanonicalJSON: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([CanonicalJSON])
  case object([String: CanonicalJSON])

  /// An optional double: `null` when absent.
  package static func number(_ value: Double?) -> CanonicalJSON { value.map(CanonicalJSON.double) ?? .null }

  /// An optional string: `null` when absent.
  package static func text(_ value: String?) -> CanonicalJSON { value.map(CanonicalJSON.string) ?? .null }

  /// The canonical serialisation.
  ///
  /// - Complexity: O(size of the value), plus sorting each object's keys.
  package var serialized: String {
    var out = ""
    write(to: &out)
    return out
  }

  private func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d):
      if d.isNaN { out += "\"nan\"" } else if d.isInfinite { out += d > 0 ? "\"inf\"" : "\"-inf\"" } else { out += "\(d)" }
    case .string(let s): Self.writeString(s, to: &out)
    case .array(let items):
      out += "["
      for (k, item) in items.enumerated() {
        if k > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
      for (k, key) in keys.enumerated() {
        if k > 0 { out += "," }
        Self.writeString(key, to: &out)
        out += ":"
        members[key]!.write(to: &out)
      }
      out += "}"
    }
  }

  private static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}
