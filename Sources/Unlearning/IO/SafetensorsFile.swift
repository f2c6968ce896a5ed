import Foundation

/// A safetensors file (MATH.md §8): named tensors and a string→string metadata map.
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of UTF-8 JSON
/// `{"__metadata__": {"k": "v"}, "w": {"dtype": "F64", "shape": [1000], "data_offsets": [0, 8000]}, …}`,
/// then the data buffer; offsets are relative to the buffer's start, and the
/// tensors must cover the buffer exactly.
public struct SafetensorsFile: Sendable, Equatable {
  /// The tensor type, ``SafetensorsTensor``.
  public typealias Tensor = SafetensorsTensor

  /// The tensors by name.
  public var tensors: [String: Tensor]
  /// The `__metadata__` map (empty when the file has none).
  public var metadata: [String: String]

  /// Header lengths above this are rejected (the reference implementation's limit).
  public static let maximumHeaderLength = 100_000_000

  /// A file of the given tensors and metadata (nothing is checked until ``encode(dtype:)``).
  public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
    self.tensors = tensors
    self.metadata = metadata
  }

  // MARK: Reading

  /// Reads the safetensors file at `url`; see ``parse(_:name:allowNonFinite:)``.
  ///
  /// - Throws: ``FileFormatError``: `.io` when the file is missing, a directory
  ///   or unreadable, and the errors of ``parse(_:name:allowNonFinite:)``.
  /// - Complexity: O(file size).
  public static func read(_ url: URL, allowNonFinite: Bool = false) throws -> SafetensorsFile {
    let bytes = try FileFormatError.readBytes(url)
    return try parse(bytes, name: FileFormatError.displayName(url), allowNonFinite: allowNonFinite)
  }

  /// Parses the bytes of a safetensors file named `name` (used in messages only).
  ///
  /// Validates: the header length (within the file, at most 100 MB); the header
  /// is UTF-8 JSON, an object without repeated keys; `__metadata__` maps strings
  /// to strings; every tensor has exactly `dtype` (F64, F32, F16 or BF16),
  /// `shape` (non-negative integers) and `data_offsets` (two integers,
  /// begin ≤ end ≤ buffer length) spanning product(shape)·itemsize bytes; the
  /// tensors neither overlap nor leave holes, and cover the whole buffer.
  /// Unless `allowNonFinite`, a NaN or infinite element is an error naming the
  /// tensor and the position.
  ///
  /// - Parameters:
  ///   - bytes: The whole file.
  ///   - name: The file name for messages.
  ///   - allowNonFinite: Whether NaN and ±∞ elements are accepted.
  /// - Throws: ``FileFormatError`` naming `name`: `.malformed`, `.unsupported`
  ///   (a dtype), `.truncated`, `.trailingBytes`, `.sizeOverflow`,
  ///   `.invalidContents` (as listed above).
  /// - Complexity: O(file size + t log t) for t tensors (the overlap check sorts them).
  public static func parse(_ bytes: [UInt8], name: String, allowNonFinite: Bool = false) throws -> SafetensorsFile {
    func fail(_ kind: FileFormatError.Kind, _ problem: String) -> FileFormatError {
      FileFormatError(kind, file: name, problem)
    }
    guard !bytes.isEmpty else { throw fail(.malformed, "empty file (not a safetensors file)") }
    guard bytes.count >= 8 else {
      throw fail(.truncated, "truncated: \(FileFormatError.bytes(bytes.count)), too short for the 8-byte header length")
    }
    var length: UInt64 = 0
    for k in 0..<8 { length |= UInt64(bytes[k]) << (8 * UInt64(k)) }
    guard length <= UInt64(maximumHeaderLength) else {
      throw fail(
        .malformed,
        "header length \(length) is absurdly large (more than \(maximumHeaderLength) bytes): not a safetensors file?")
    }
    let headerLength = Int(length)
    guard headerLength <= bytes.count - 8 else {
      throw fail(
        .truncated,
        "truncated header: the header length says \(FileFormatError.bytes(headerLength)) but only \(FileFormatError.follow(bytes.count - 8))")
    }
    let headerBytes = Array(bytes[8..<(8 + headerLength)])
    guard String(bytes: headerBytes, encoding: .utf8) != nil else {
      throw fail(.malformed, "the header is not valid UTF-8")
    }
    let json: JSONValue
    do {
      json = try JSONParser.parse(headerBytes)
    } catch let error as JSONParser.SyntaxError {
      throw fail(.malformed, "the header is not valid JSON (\(error.message) at byte \(error.offset) of the header)")
    }
    guard case .object(let entries) = json else {
      throw fail(.malformed, "the header is not a JSON object")
    }

    let bufferStart = 8 + headerLength
    let bufferLength = bytes.count - bufferStart
    var metadata: [String: String] = [:]
    var seen = Set<String>()
    struct Entry {
      var name: String
      var dtype: Tensor.DType
      var shape: [Int]
      var begin: Int
      var end: Int
    }
    var layout: [Entry] = []

    for (key, value) in entries {
      guard seen.insert(key).inserted else {
        throw fail(.malformed, key == "__metadata__" ? "the header has two __metadata__ entries" : "the header lists tensor '\(key)' twice")
      }
      if key == "__metadata__" {
        guard case .object(let pairs) = value else {
          throw fail(.malformed, "__metadata__ is not a map of strings to strings (it is \(value.kindName))")
        }
        for (k, v) in pairs {
          guard case .string(let s) = v else {
            throw fail(.malformed, "__metadata__ is not a map of strings to strings (the value of '\(k)' is \(v.kindName))")
          }
          guard metadata[k] == nil else { throw fail(.malformed, "__metadata__ repeats the key '\(k)'") }
          metadata[k] = s
        }
        continue
      }
      func bad(_ problem: String) -> FileFormatError { fail(.malformed, "tensor '\(key)': \(problem)") }
      guard case .object(let fields) = value else { throw bad("its entry is \(value.kindName), not an object") }
      var dtypeValue: JSONValue?
      var shapeValue: JSONValue?
      var offsetsValue: JSONValue?
      for (field, item) in fields {
        switch field {
        case "dtype" where dtypeValue == nil: dtypeValue = item
        case "shape" where shapeValue == nil: shapeValue = item
        case "data_offsets" where offsetsValue == nil: offsetsValue = item
        case "dtype", "shape", "data_offsets": throw bad("the key '\(field)' appears twice")
        default: throw bad("unexpected key '\(field)' (expected dtype, shape, data_offsets)")
        }
      }
      guard let dtypeValue else { throw bad("no dtype") }
      guard let shapeValue else { throw bad("no shape") }
      guard let offsetsValue else { throw bad("no data_offsets") }

      guard case .string(let dtypeName) = dtypeValue else { throw bad("dtype is \(dtypeValue.kindName), not a string") }
      guard let dtype = Tensor.DType(rawValue: dtypeName) else {
        let supported = Tensor.DType.allCases.map(\.rawValue).joined(separator: ", ")
        throw fail(.unsupported, "tensor '\(key)': unsupported dtype '\(dtypeName)' (supported: \(supported))")
      }
      guard case .array(let dims) = shapeValue else {
        throw bad("shape is not a list of non-negative integers: \(shapeValue.text)")
      }
      var shape: [Int] = []
      for dim in dims {
        guard case .number(let digits) = dim, let n = JSONValue.nonNegativeInteger(digits) else {
          if case .number(let digits) = dim, JSONValue.isNonNegativeIntegerLiteral(digits) {
            throw fail(.sizeOverflow, "tensor '\(key)': size overflow: dimension \(digits) does not fit in 64 bits")
          }
          throw bad("shape is not a list of non-negative integers: \(shapeValue.text)")
        }
        shape.append(n)
      }
      guard case .array(let offsetItems) = offsetsValue, offsetItems.count == 2,
        case .number(let beginText) = offsetItems[0], case .number(let endText) = offsetItems[1],
        let begin = JSONValue.nonNegativeInteger(beginText), let end = JSONValue.nonNegativeInteger(endText),
        begin <= end
      else {
        throw bad("data_offsets \(offsetsValue.text) are not two non-negative integers [begin, end] with begin ≤ end")
      }
      guard end <= bufferLength else {
        throw fail(
          .truncated,
          "tensor '\(key)': data_offsets [\(begin), \(end)] reach beyond the end of the data buffer (\(FileFormatError.bytes(bufferLength))): truncated file?")
      }
      let shapeText = Tensor.describe(shape: shape)
      guard let count = Tensor.elementCount(shape) else {
        throw fail(.sizeOverflow, "tensor '\(key)': size overflow: shape \(shapeText) has too many elements")
      }
      let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
      guard !overflow else {
        throw fail(.sizeOverflow, "tensor '\(key)': size overflow: shape \(shapeText) of \(dtype.rawValue) needs too many bytes")
      }
      guard end - begin == byteCount else {
        throw fail(
          .invalidContents,
          "tensor '\(key)': shape \(shapeText) of \(dtype.rawValue) needs \(FileFormatError.bytes(byteCount)) but data_offsets [\(begin), \(end)] span \(FileFormatError.bytes(end - begin))")
      }
      layout.append(Entry(name: key, dtype: dtype, shape: shape, begin: begin, end: end))
    }

    // The tensors must tile the buffer: no overlap, no hole, nothing after the last.
    let ordered = layout.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    var covered = 0
    var previous: String?
    for entry in ordered {
      if entry.begin < covered, let previous {
        throw fail(
          .invalidContents,
          "tensors '\(previous)' and '\(entry.name)' overlap: '\(previous)' ends at byte \(covered) of the data buffer but '\(entry.name)' begins at byte \(entry.begin)")
      }
      if entry.begin > covered {
        throw fail(
          .invalidContents,
          "bytes \(covered)..<\(entry.begin) of the data buffer belong to no tensor (a hole before tensor '\(entry.name)')")
      }
      covered = entry.end
      previous = entry.name
    }
    if covered < bufferLength {
      throw fail(
        .trailingBytes,
        "trailing bytes: bytes \(covered)..<\(bufferLength) of the data buffer belong to no tensor")
    }

    var tensors: [String: Tensor] = [:]
    for entry in layout {
      let count = (entry.end - entry.begin) / entry.dtype.itemSize
      let values = decode(bytes, from: bufferStart + entry.begin, count: count, dtype: entry.dtype)
      let tensor = Tensor(validatedShape: entry.shape, values: values, dtype: entry.dtype)
      if !allowNonFinite, let k = values.firstIndex(where: { !$0.isFinite }) {
        throw fail(
          .invalidContents,
          "tensor '\(entry.name)': element \(tensor.position(ofIndex: k)) is \(NumPyArray.describeNonFinite(values[k])); values must be finite")
      }
      tensors[entry.name] = tensor
    }
    return SafetensorsFile(tensors: tensors, metadata: metadata)
  }

  // MARK: Writing

  /// The file's bytes with every tensor stored as `dtype`, or each in its own
  /// ``SafetensorsTensor/dtype`` when `dtype` is `nil` (a model written back in the layout it was
  /// read in), laid out as the reference implementation does:
  /// compact JSON with `__metadata__` first (its keys sorted, omitted when
  /// empty), then the tensors in sorted-name order, each with `dtype`, `shape`,
  /// `data_offsets`; the header padded with spaces to a multiple of 8 bytes;
  /// the tensors' little-endian bytes contiguously in the same order. Values are rounded to the
  /// nearest (ties to even) F32, F16 or BF16 value.
  ///
  /// - Throws: ``FileFormatError`` (no file name): `.invalidContents` for a tensor named
  ///   `__metadata__` or a finite value too large for the element type.
  /// - Complexity: O(total elements + t log t) for t tensors.
  public func encode(dtype: Tensor.DType? = .f64) throws -> [UInt8] {
    guard tensors["__metadata__"] == nil else {
      throw FileFormatError(.invalidContents, file: nil, "a tensor cannot be named __metadata__")
    }
    let names = tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    var header = "{"
    var fields: [String] = []
    if !metadata.isEmpty {
      let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      let pairs = keys.map { JSONValue.quote($0) + ":" + JSONValue.quote(metadata[$0]!) }
      fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
    }
    var offset = 0
    for name in names {
      let tensor = tensors[name]!
      let type = dtype ?? tensor.dtype
      let size = tensor.values.count * type.itemSize
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      fields.append(
        JSONValue.quote(name) + ":{\"dtype\":\"\(type.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
      offset += size
    }
    header += fields.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)

    var out: [UInt8] = []
    out.reserveCapacity(8 + headerBytes.count + offset)
    var length = UInt64(headerBytes.count).littleEndian
    withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
    out += headerBytes
    for name in names {
      let tensor = tensors[name]!
      let type = dtype ?? tensor.dtype
      for (k, x) in tensor.values.enumerated() {
        func tooLarge() -> FileFormatError {
          FileFormatError(.invalidContents, file: nil,
                          "tensor '\(name)': element \(tensor.position(ofIndex: k)) = \(x) does not fit in \(type.rawValue)")
        }
        switch type {
        case .f64:
          var bits = x.bitPattern.littleEndian
          withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
        case .f32:
          let f = Float(x)
          if x.isFinite && !f.isFinite { throw tooLarge() }
          var bits = f.bitPattern.littleEndian
          withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
        case .f16, .bf16:
          guard let bits = type == .f16 ? HalfPrecision.float16Bits(x) : HalfPrecision.bfloat16Bits(x) else { throw tooLarge() }
          out += [UInt8(bits & 0xFF), UInt8(bits >> 8)]
        }
      }
    }
    return out
  }

  /// Writes the file (as ``encode(dtype:)``) to `url` atomically; see ``AtomicFile/write(_:to:overwrite:)``.
  ///
  /// - Throws: ``FileFormatError``: the errors of ``encode(dtype:)`` (now naming
  ///   the file), `.fileExists` when `url` exists and `overwrite` is false, `.io`.
  /// - Complexity: O(total elements + t log t) for t tensors.
  public func write(to url: URL, dtype: Tensor.DType? = .f64, overwrite: Bool) throws {
    let bytes: [UInt8]
    do {
      bytes = try encode(dtype: dtype)
    } catch let error as FileFormatError {
      throw error.about(FileFormatError.displayName(url))
    }
    try AtomicFile.write(bytes, to: url, overwrite: overwrite)
  }

  // MARK: Elements

  private static func decode(_ bytes: [UInt8], from start: Int, count: Int, dtype: Tensor.DType) -> [Double] {
    guard count > 0 else { return [] }
    return [Double](unsafeUninitializedCapacity: count) { out, initialized in
      bytes.withUnsafeBytes { raw in
        let base = raw.baseAddress! + start
        /// Little-endian element `k` as a `T`.
        func word<T: FixedWidthInteger>(_ k: Int, _: T.Type) -> T {
          T(littleEndian: base.loadUnaligned(fromByteOffset: k * MemoryLayout<T>.size, as: T.self))
        }
        for k in 0..<count {
          switch dtype {
          case .f64: out[k] = Double(bitPattern: word(k, UInt64.self))
          case .f32: out[k] = Double(Float(bitPattern: word(k, UInt32.self)))
          case .f16: out[k] = HalfPrecision.float16(word(k, UInt16.self))
          case .bf16: out[k] = HalfPrecision.bfloat16(word(k, UInt16.self))
          }
        }
      }
      initialized = count
    }
  }
}

// MARK: - JSON

/// A JSON value; numbers keep their text so integers are checked exactly.
private indirect enum JSONValue {
  case object([(String, JSONValue)])
  case array([JSONValue])
  case string(String)
  case number(String)
  case bool(Bool)
  case null

  /// "a string", "a number", … for messages.
  var kindName: String {
    switch self {
    case .object: return "an object"
    case .array: return "a list"
    case .string: return "a string"
    case .number: return "a number"
    case .bool: return "a boolean"
    case .null: return "null"
    }
  }

  /// Compact JSON text of the value, shortened for messages.
  var text: String {
    let full: String
    switch self {
    case .object(let entries): full = "{" + entries.map { JSONValue.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
    case .array(let items): full = "[" + items.map(\.text).joined(separator: ",") + "]"
    case .string(let s): full = JSONValue.quote(s)
    case .number(let n): full = n
    case .bool(let b): full = b ? "true" : "false"
    case .null: full = "null"
    }
    return full.count > 80 ? String(full.prefix(77)) + "..." : full
  }

  static func isNonNegativeIntegerLiteral(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  /// The value of a number literal that is a non-negative integer fitting in `Int`.
  static func nonNegativeInteger(_ text: String) -> Int? {
    isNonNegativeIntegerLiteral(text) ? Int(text) : nil
  }

  /// `s` as a JSON string literal, escaped as serde_json does.
  static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

/// A strict RFC 8259 parser over UTF-8 bytes, with a nesting limit.
private struct JSONParser {
  struct SyntaxError: Error {
    let message: String
    let offset: Int
  }

  private let bytes: [UInt8]
  private var position = 0
  private static let maximumDepth = 64

  static func parse(_ bytes: [UInt8]) throws -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: position) }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  private mutating func skipWhitespace() {
    while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
  }

  private mutating func expect(_ literal: String, _ value: JSONValue) throws -> JSONValue {
    let expected = Array(literal.utf8)
    guard bytes.count - position >= expected.count, Array(bytes[position..<(position + expected.count)]) == expected else {
      throw error("invalid literal")
    }
    position += expected.count
    return value
  }

  private mutating func value(depth: Int) throws -> JSONValue {
    guard depth < Self.maximumDepth else { throw error("nested too deeply") }
    skipWhitespace()
    guard let c = current else { throw error("unexpected end") }
    switch c {
    case UInt8(ascii: "{"):
      position += 1
      var entries: [(String, JSONValue)] = []
      skipWhitespace()
      if current == UInt8(ascii: "}") { position += 1; return .object(entries) }
      while true {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
        let key = try string()
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw error("expected ':'") }
        position += 1
        entries.append((key, try value(depth: depth + 1)))
        skipWhitespace()
        if current == UInt8(ascii: ",") { position += 1; continue }
        guard current == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
        position += 1
        return .object(entries)
      }
    case UInt8(ascii: "["):
      position += 1
      var items: [JSONValue] = []
      skipWhitespace()
      if current == UInt8(ascii: "]") { position += 1; return .array(items) }
      while true {
        items.append(try value(depth: depth + 1))
        skipWhitespace()
        if current == UInt8(ascii: ",") { position += 1; continue }
        guard current == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
        position += 1
        return .array(items)
      }
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try expect("true", .bool(true))
    case UInt8(ascii: "f"): return try expect("false", .bool(false))
    case UInt8(ascii: "n"): return try expect("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw error("unexpected character")
    }
  }

  private mutating func number() throws -> JSONValue {
    let start = position
    func digits() -> Int {
      var n = 0
      while let c = current, c >= 0x30, c <= 0x39 { position += 1; n += 1 }
      return n
    }
    if current == UInt8(ascii: "-") { position += 1 }
    if current == UInt8(ascii: "0") {
      position += 1
    } else if digits() == 0 {
      throw error("invalid number")
    }
    if current == UInt8(ascii: ".") {
      position += 1
      guard digits() > 0 else { throw error("invalid number") }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard digits() > 0 else { throw error("invalid number") }
    }
    return .number(String(decoding: bytes[start..<position], as: UTF8.self))
  }

  private mutating func hex4() throws -> UInt32 {
    guard bytes.count - position >= 4 else { throw error("truncated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[position]
      let digit: UInt32
      switch c {
      case 0x30...0x39: digit = UInt32(c - 0x30)
      case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
      case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
      default: throw error("invalid \\u escape")
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  private mutating func string() throws -> String {
    position += 1  // opening quote
    var out: [UInt8] = []
    while let c = current {
      position += 1
      switch c {
      case UInt8(ascii: "\""):
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard let e = current else { throw error("unterminated string") }
        position += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var code = try hex4()
          if (0xD800...0xDBFF).contains(code) {
            guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
              throw error("unpaired surrogate in \\u escape")
            }
            position += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(code) else { throw error("unpaired surrogate in \\u escape") }
          out += Array(String(Character(scalar)).utf8)
        default: throw error("invalid escape")
        }
      default:
        guard c >= 0x20 else { throw error("control character in a string") }
        out.append(c)
      }
    }
    throw error("unterminated string")
  }
}
