import Foundation

/// Reads and writes NumPy `.npy` files (format versions 1.0, 2.0 and 3.0; MATH.md §8).
///
/// Layout: the magic `\x93NUMPY`, the version (major, minor), the header length
/// (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header — a Python
/// dict literal such as `{'descr': '<f8', 'fortran_order': False, 'shape': (20, 1000), }`,
/// Latin-1 (UTF-8 in 3.0), padded with spaces and a newline — then the raw elements.
public enum NpyFormat {
  /// The six bytes every `.npy` file starts with.
  public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

  /// NumPy's alignment of the data: the preamble and header fill a multiple of 64 bytes.
  public static let alignment = 64

  /// Headers longer than this are rejected before they are parsed (NumPy's own
  /// limit is 10 000 characters; real headers are about 100).
  public static let maximumHeaderLength = 1 << 20

  // MARK: Reading

  /// Reads the `.npy` file at `url`; see ``parse(_:name:allowNonFinite:)``.
  ///
  /// - Throws: ``FileFormatError``: `.io` when the file is missing, a directory
  ///   or unreadable, and the errors of ``parse(_:name:allowNonFinite:)``.
  /// - Complexity: O(file size).
  public static func read(_ url: URL, allowNonFinite: Bool = false) throws -> NumPyArray {
    let bytes = try FileFormatError.readBytes(url)
    return try parse(bytes, name: FileFormatError.displayName(url), allowNonFinite: allowNonFinite)
  }

  /// Parses the bytes of an `.npy` file named `name` (the name is used in messages only).
  ///
  /// Validates the magic, the version, the header dict (exactly the keys
  /// `descr`, `fortran_order`, `shape`), the dtype (one of ``NumPyArray/DType``),
  /// the rank (1 or 2), the dimensions (non-negative, their byte size within
  /// `Int`), and that the data is exactly as long as the header says. Fortran-order
  /// matrices are transposed into C order; integers are converted to `Double`.
  /// Unless `allowNonFinite`, a NaN or infinite element is an error naming its position.
  ///
  /// - Parameters:
  ///   - bytes: The whole file.
  ///   - name: The file name for messages.
  ///   - allowNonFinite: Whether NaN and ±∞ elements are accepted.
  /// - Throws: ``FileFormatError`` naming `name`: `.malformed` (magic, header
  ///   syntax), `.unsupported` (version, dtype, rank), `.truncated`,
  ///   `.trailingBytes`, `.sizeOverflow`, `.invalidContents` (a non-finite element).
  /// - Complexity: O(file size).
  public static func parse(_ bytes: [UInt8], name: String, allowNonFinite: Bool = false) throws -> NumPyArray {
    func fail(_ kind: FileFormatError.Kind, _ problem: String) -> FileFormatError {
      FileFormatError(kind, file: name, problem)
    }

    // Magic and version.
    guard !bytes.isEmpty else { throw fail(.malformed, "empty file (not a NumPy .npy file)") }
    guard magic.starts(with: bytes.prefix(magic.count)) else {
      if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
        throw fail(.malformed, "a zip archive (an .npz?), not a NumPy .npy file")
      }
      throw fail(.malformed, "not a NumPy .npy file (it does not start with the magic \\x93NUMPY)")
    }
    guard bytes.count >= magic.count + 2 else {
      throw fail(.truncated, "truncated: the file ends after \(FileFormatError.bytes(bytes.count)), inside the .npy preamble")
    }
    let major = bytes[6]
    let minor = bytes[7]
    guard minor == 0, (1...3).contains(major) else {
      throw fail(.unsupported, "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
    }
    let lengthSize = major == 1 ? 2 : 4
    let headerStart = 8 + lengthSize
    guard bytes.count >= headerStart else {
      throw fail(.truncated, "truncated: the file ends after \(FileFormatError.bytes(bytes.count)), inside the .npy preamble")
    }
    var headerLength = 0
    for k in 0..<lengthSize { headerLength |= Int(bytes[8 + k]) << (8 * k) }
    guard headerLength <= bytes.count - headerStart else {
      let available = FileFormatError.follow(bytes.count - headerStart)
      throw fail(.truncated, "truncated header: the preamble says \(FileFormatError.bytes(headerLength)) but only \(available)")
    }
    guard headerLength <= maximumHeaderLength else {
      throw fail(.malformed, "header of \(headerLength) bytes is implausibly long (at most \(maximumHeaderLength))")
    }

    // Header text: Latin-1 in versions 1.0 and 2.0, UTF-8 in 3.0.
    let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
    let headerText: String
    if major == 3 {
      guard let text = String(bytes: headerBytes, encoding: .utf8) else {
        throw fail(.malformed, "the version 3.0 header is not valid UTF-8")
      }
      headerText = text
    } else {
      var scalars = String.UnicodeScalarView()
      scalars.append(contentsOf: headerBytes.map { Unicode.Scalar($0) })
      headerText = String(scalars)
    }

    let header = try parseHeader(headerText, name: name)
    let dtype = header.dtype
    let shape = header.shape

    // Sizes, with overflow checks on hostile dimensions.
    var count = 1
    for n in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: n)
      guard !overflow else {
        throw fail(.sizeOverflow, "size overflow: shape \(NumPyArray.describe(shape: shape)) has more elements than fit in memory")
      }
      count = product
    }
    let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
    guard !overflow else {
      throw fail(
        .sizeOverflow,
        "size overflow: shape \(NumPyArray.describe(shape: shape)) of \(dtype.name) needs more bytes than fit in memory")
    }
    let dataStart = headerStart + headerLength
    let available = bytes.count - dataStart
    let promised = "header says \(NumPyArray.describe(dimensions: shape)) \(dtype.name) (\(FileFormatError.bytes(byteCount)))"
    guard available >= byteCount else {
      throw fail(.truncated, "truncated data: \(promised) but only \(FileFormatError.follow(available))")
    }
    guard available == byteCount else {
      throw fail(.trailingBytes, "trailing bytes: \(promised) but \(FileFormatError.follow(available))")
    }

    var values = decode(bytes, from: dataStart, count: count, dtype: dtype)
    if header.fortranOrder, shape.count == 2, count > 0 {
      // Column-major in the file: element (i, j) is at j·rows + i.
      let rows = shape[0]
      let columns = shape[1]
      var transposed = [Double](repeating: 0, count: count)
      for j in 0..<columns {
        for i in 0..<rows { transposed[i * columns + j] = values[j * rows + i] }
      }
      values = transposed
    }
    let array = NumPyArray(validatedShape: shape, values: values, dtype: dtype)
    if !allowNonFinite, let k = values.firstIndex(where: { !$0.isFinite }) {
      throw fail(
        .invalidContents,
        "element \(array.position(ofIndex: k)) is \(NumPyArray.describeNonFinite(values[k])); values must be finite")
    }
    return array
  }

  // MARK: Writing

  /// The bytes of `array` as an `.npy` file exactly as NumPy writes it:
  /// float64 little-endian (`<f8`) in C order, whatever `array.dtype` was,
  /// header padded to a multiple of 64 bytes (see ``wrapHeader(_:)``).
  ///
  /// - Complexity: O(number of elements).
  public static func encode(_ array: NumPyArray) -> [UInt8] {
    let shape = array.shape
    var literal = "{'descr': '<f8', 'fortran_order': False, 'shape': \(NumPyArray.describe(shape: shape)), }"
    // NumPy leaves room to grow the first axis in place: 21 digits in all.
    if let first = shape.first { literal += String(repeating: " ", count: max(0, 21 - String(first).count)) }
    var bytes = wrapHeader(literal)
    bytes.reserveCapacity(bytes.count + 8 * array.values.count)
    for x in array.values {
      var bits = x.bitPattern.littleEndian
      withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
    }
    return bytes
  }

  /// Writes `array` to `url` (as ``encode(_:)``) atomically; see ``AtomicFile/write(_:to:overwrite:)``.
  ///
  /// - Throws: ``FileFormatError``: `.fileExists` when `url` exists and
  ///   `overwrite` is false, `.io` when the write fails.
  /// - Complexity: O(number of elements).
  public static func write(_ array: NumPyArray, to url: URL, overwrite: Bool) throws {
    try AtomicFile.write(encode(array), to: url, overwrite: overwrite)
  }

  /// The preamble and header NumPy writes for the header dict `literal`: magic,
  /// version, length, the literal, then spaces and a final newline so that the
  /// data starts at a multiple of 64 bytes.
  ///
  /// The version is the oldest that can hold the header, as NumPy chooses it:
  /// 1.0 (Latin-1, length ≤ 65535), else 2.0 (4-byte length), else 3.0 when the
  /// literal is not Latin-1 (UTF-8).
  ///
  /// - Complexity: O(length of `literal`).
  public static func wrapHeader(_ literal: String) -> [UInt8] {
    let latin1: [UInt8]? = {
      var out: [UInt8] = []
      for scalar in literal.unicodeScalars {
        guard scalar.value <= 0xFF else { return nil }
        out.append(UInt8(scalar.value))
      }
      return out
    }()
    func wrap(_ text: [UInt8], major: UInt8) -> [UInt8]? {
      let lengthSize = major == 1 ? 2 : 4
      let textLength = text.count + 1  // with the final newline
      let padding = alignment - ((magic.count + 2 + lengthSize + textLength) % alignment)
      let total = textLength + padding
      if major == 1, total > Int(UInt16.max) { return nil }
      var out = magic + [major, 0]
      for k in 0..<lengthSize { out.append(UInt8(truncatingIfNeeded: total >> (8 * k))) }
      out += text
      out += [UInt8](repeating: 0x20, count: padding)
      out.append(0x0A)
      return out
    }
    if let latin1 {
      return wrap(latin1, major: 1) ?? wrap(latin1, major: 2)!
    }
    return wrap(Array(literal.utf8), major: 3)!
  }

  // MARK: Header

  private struct Header {
    var dtype: NumPyArray.DType
    var fortranOrder: Bool
    var shape: [Int]
  }

  /// Validates the header dict literal: its keys, dtype, order flag and shape.
  private static func parseHeader(_ text: String, name: String) throws -> Header {
    func fail(_ kind: FileFormatError.Kind, _ problem: String) -> FileFormatError {
      FileFormatError(kind, file: name, problem)
    }
    let shown = excerpt(text)
    let value: PythonLiteral
    do {
      value = try PythonLiteralParser.parse(text)
    } catch let error as PythonLiteralParser.SyntaxError {
      throw fail(.malformed, "malformed header (\(error.message)): \(shown)")
    }
    guard case .dict(let entries) = value else {
      throw fail(.malformed, "the header is not a Python dict: \(shown)")
    }
    var dict: [String: PythonLiteral] = [:]
    for (key, item) in entries {
      guard ["descr", "fortran_order", "shape"].contains(key) else {
        throw fail(.malformed, "the header has an unexpected key '\(key)': \(shown)")
      }
      guard dict[key] == nil else { throw fail(.malformed, "the header repeats the key '\(key)': \(shown)") }
      dict[key] = item
    }
    for key in ["descr", "fortran_order", "shape"] where dict[key] == nil {
      throw fail(.malformed, "the header has no '\(key)' key: \(shown)")
    }

    // descr
    let dtype: NumPyArray.DType
    switch dict["descr"]! {
    case .string(let descr):
      guard let known = dtypeFromDescr(descr) else {
        throw fail(.unsupported, unsupportedDescr(descr))
      }
      dtype = known
    case .list, .tuple:
      throw fail(
        .unsupported,
        "structured dtype \(dict["descr"]!.repr) is not supported (need a plain numeric array)")
    default:
      throw fail(.malformed, "'descr' is not a dtype string: \(dict["descr"]!.repr)")
    }

    // fortran_order
    guard case .bool(let fortranOrder) = dict["fortran_order"]! else {
      throw fail(.malformed, "'fortran_order' is not True or False: \(dict["fortran_order"]!.repr)")
    }

    // shape
    guard case .tuple(let items) = dict["shape"]! else {
      throw fail(.malformed, "'shape' is not a tuple of integers: \(dict["shape"]!.repr)")
    }
    var shape: [Int] = []
    for item in items {
      guard case .integer(let digits) = item else {
        throw fail(.malformed, "'shape' is not a tuple of integers: \(dict["shape"]!.repr)")
      }
      guard let n = Int(digits) else {
        throw fail(.sizeOverflow, "size overflow: dimension \(digits) in shape \(dict["shape"]!.repr) does not fit in 64 bits")
      }
      shape.append(n)
    }
    let shapeText = dict["shape"]!.repr
    if shape.isEmpty {
      throw fail(.unsupported, "0-dimensional array (a scalar, shape ()); need a vector or a matrix")
    }
    if shape.count > 2 {
      throw fail(.unsupported, "\(shape.count)-dimensional array (shape \(shapeText)); need a vector or a matrix")
    }
    if shape.contains(where: { $0 < 0 }) {
      throw fail(.malformed, "negative dimension in shape \(shapeText)")
    }
    return Header(dtype: dtype, fortranOrder: fortranOrder, shape: shape)
  }

  /// The dtype for a descr string; one-byte types may carry any byte-order mark.
  private static func dtypeFromDescr(_ descr: String) -> NumPyArray.DType? {
    if let known = NumPyArray.DType(rawValue: descr) { return known }
    guard descr.count == 3, let first = descr.first, "<>=|".contains(first) else { return nil }
    let rest = descr.dropFirst()
    if rest.hasSuffix("1") { return NumPyArray.DType(rawValue: "|" + rest) }
    // '=' is the writer's native order; every platform Swift runs on is little-endian.
    return first == "=" ? NumPyArray.DType(rawValue: "<" + rest) : nil
  }

  private static func unsupportedDescr(_ descr: String) -> String {
    let supported = NumPyArray.DType.allCases.map(\.rawValue).joined(separator: ", ")
    let kind = descr.dropFirst().first
    if kind == "O" { return "object arrays ('\(descr)') are not supported (they hold pickled Python objects)" }
    if kind == "c" { return "complex dtype '\(descr)' is not supported (supported: \(supported))" }
    return "unsupported dtype '\(descr)' (supported: \(supported))"
  }

  /// The header as one short line for messages.
  private static func excerpt(_ text: String) -> String {
    var line = text.trimmingCharacters(in: .whitespacesAndNewlines)
      .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    if line.count > 120 { line = String(line.prefix(117)) + "..." }
    return line
  }

  // MARK: Elements

  /// `count` elements of `dtype` starting at byte `start`, as doubles.
  private static func decode(_ bytes: [UInt8], from start: Int, count: Int, dtype: NumPyArray.DType) -> [Double] {
    guard count > 0 else { return [] }
    return [Double](unsafeUninitializedCapacity: count) { out, initialized in
      bytes.withUnsafeBytes { raw in
        let base = raw.baseAddress! + start
        /// Element `k` as a `T` in the file's byte order.
        func word<T: FixedWidthInteger>(_ k: Int, _: T.Type, bigEndian: Bool = false) -> T {
          let stored = base.loadUnaligned(fromByteOffset: k * MemoryLayout<T>.size, as: T.self)
          return bigEndian ? T(bigEndian: stored) : T(littleEndian: stored)
        }
        for k in 0..<count {
          switch dtype {
          case .float64: out[k] = Double(bitPattern: word(k, UInt64.self))
          case .float64BigEndian: out[k] = Double(bitPattern: word(k, UInt64.self, bigEndian: true))
          case .float32: out[k] = Double(Float(bitPattern: word(k, UInt32.self)))
          case .float32BigEndian: out[k] = Double(Float(bitPattern: word(k, UInt32.self, bigEndian: true)))
          case .float16: out[k] = HalfPrecision.float16(word(k, UInt16.self))
          case .int64: out[k] = Double(word(k, Int64.self))
          case .int64BigEndian: out[k] = Double(word(k, Int64.self, bigEndian: true))
          case .int32: out[k] = Double(word(k, Int32.self))
          case .int32BigEndian: out[k] = Double(word(k, Int32.self, bigEndian: true))
          case .int16: out[k] = Double(word(k, Int16.self))
          case .int8: out[k] = Double(word(k, Int8.self))
          case .uint8: out[k] = Double(word(k, UInt8.self))
          case .bool: out[k] = word(k, UInt8.self) == 0 ? 0 : 1
          }
        }
      }
      initialized = count
    }
  }
}

// MARK: - Python literals

/// A value of the Python literal subset `.npy` headers use.
private indirect enum PythonLiteral {
  case string(String)
  /// An integer as written (sign and digits), converted later so huge values give a clear error.
  case integer(String)
  case bool(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dict([(String, PythonLiteral)])

  /// Python's `repr` of the value.
  var repr: String {
    switch self {
    case .string(let s): return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    case .integer(let digits): return digits
    case .bool(let b): return b ? "True" : "False"
    case .none: return "None"
    case .tuple(let items): return items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
    case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
    case .dict(let entries):
      return "{" + entries.map { PythonLiteral.string($0.0).repr + ": " + $0.1.repr }.joined(separator: ", ") + "}"
    }
  }
}

/// A recursive-descent parser for the Python literals of `.npy` headers:
/// dicts with string keys, tuples (`()`, `(5,)`, `(4, 3)`), lists, quoted
/// strings, integers (with Python 2's `L` suffix), `True`, `False`, `None`.
/// Nesting is limited so hostile headers cannot exhaust the stack.
private struct PythonLiteralParser {
  struct SyntaxError: Error { let message: String }

  private let scalars: [Unicode.Scalar]
  private var position = 0
  private static let maximumDepth = 32

  static func parse(_ text: String) throws -> PythonLiteral {
    var parser = PythonLiteralParser(scalars: Array(text.unicodeScalars))
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.position == parser.scalars.count else {
      throw SyntaxError(message: "unexpected '\(parser.scalars[parser.position])' after the value")
    }
    return value
  }

  private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

  private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

  private mutating func skipWhitespace() {
    while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" { position += 1 }
  }

  private mutating func value(depth: Int) throws -> PythonLiteral {
    guard depth < Self.maximumDepth else { throw SyntaxError(message: "nested too deeply") }
    skipWhitespace()
    guard let c = current else { throw SyntaxError(message: "unexpected end") }
    switch c {
    case "{": return try dict(depth: depth)
    case "(": return try sequence(close: ")", depth: depth)
    case "[": return try sequence(close: "]", depth: depth)
    case "'", "\"": return .string(try string())
    case "-", "+", "0"..."9": return try integer()
    default:
      guard c.properties.isAlphabetic || c == "_" else { throw SyntaxError(message: "unexpected '\(c)'") }
      var word = ""
      while let d = current, d.properties.isAlphabetic || d == "_" || ("0"..."9").contains(d) {
        word.unicodeScalars.append(d)
        position += 1
      }
      switch word {
      case "True": return .bool(true)
      case "False": return .bool(false)
      case "None": return .none
      case "u", "U", "b", "B", "r", "R":
        if let q = current, q == "'" || q == "\"" { return .string(try string()) }
        fallthrough
      default: throw SyntaxError(message: "unexpected name '\(word)'")
      }
    }
  }

  private mutating func dict(depth: Int) throws -> PythonLiteral {
    position += 1  // {
    var entries: [(String, PythonLiteral)] = []
    while true {
      skipWhitespace()
      if current == "}" { position += 1; return .dict(entries) }
      guard case .string(let key) = try value(depth: depth + 1) else {
        throw SyntaxError(message: "a dict key is not a string")
      }
      skipWhitespace()
      guard current == ":" else { throw SyntaxError(message: "expected ':' after the key '\(key)'") }
      position += 1
      entries.append((key, try value(depth: depth + 1)))
      skipWhitespace()
      if current == "," { position += 1; continue }
      guard current == "}" else { throw SyntaxError(message: "expected ',' or '}' in the dict") }
    }
  }

  /// A tuple or a list. `(x)` without a comma is `x` itself, as in Python.
  private mutating func sequence(close: Unicode.Scalar, depth: Int) throws -> PythonLiteral {
    position += 1  // ( or [
    var items: [PythonLiteral] = []
    var sawComma = false
    while true {
      skipWhitespace()
      if current == close { position += 1; break }
      items.append(try value(depth: depth + 1))
      skipWhitespace()
      if current == "," { position += 1; sawComma = true; continue }
      guard current == close else { throw SyntaxError(message: "expected ',' or '\(close)'") }
    }
    if close == "]" { return .list(items) }
    if items.count == 1, !sawComma { return items[0] }
    return .tuple(items)
  }

  private mutating func string() throws -> String {
    let quote = current!
    position += 1
    var result = String.UnicodeScalarView()
    while let c = current {
      position += 1
      if c == quote { return String(result) }
      if c == "\n" { break }
      if c == "\\", let next = current {
        position += 1
        switch next {
        case "n": result.append("\n")
        case "t": result.append("\t")
        case "\\", "'", "\"": result.append(next)
        default:
          result.append("\\")
          result.append(next)
        }
      } else {
        result.append(c)
      }
    }
    throw SyntaxError(message: "unterminated string")
  }

  private mutating func integer() throws -> PythonLiteral {
    var text = ""
    if let sign = current, sign == "-" || sign == "+" {
      if sign == "-" { text = "-" }
      position += 1
      skipWhitespace()
    }
    var digits = 0
    while let d = current, ("0"..."9").contains(d) {
      text.unicodeScalars.append(d)
      position += 1
      digits += 1
    }
    guard digits > 0 else { throw SyntaxError(message: "expected a number") }
    if let d = current, d == "." || d == "e" || d == "E" || d == "j" || d == "x" {
      throw SyntaxError(message: "only integers are allowed, found '\(d)' in a number")
    }
    if let d = current, d == "L" || d == "l" { position += 1 }  // Python 2 long
    // Drop leading zeros so Int() sees a canonical number.
    let negative = text.hasPrefix("-")
    var magnitude = Substring(negative ? String(text.dropFirst()) : text)
    while magnitude.count > 1, magnitude.first == "0" { magnitude = magnitude.dropFirst() }
    return .integer((negative && magnitude != "0" ? "-" : "") + magnitude)
  }
}
