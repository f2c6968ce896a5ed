import Foundation
import LinearAlgebra
import Testing
import Unlearning

@Suite("NumPy .npy format")
struct NpyFormatTests {
  /// Doubles that break careless writers: signed zero, the extreme subnormal and normal values, non-dyadic fractions.
  static let awkward: [Double] = [
    0.1, -0.0, 0x1p-1074, -2.2250738585072014e-308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    1.0 / 3.0, .pi, -2.5, 1e-300, 123456789.123, 0x1p53 + 2,
  ]

  /// An `.npy` file with NumPy's preamble around `literal`, then `data`.
  func npy(_ literal: String, _ data: [UInt8] = []) -> [UInt8] {
    NpyFormat.wrapHeader(literal) + data
  }

  func message(_ body: () throws -> NumPyArray) -> String {
    IOTestSupport.message { _ = try body() }
  }

  func parse(_ bytes: [UInt8]) -> String {
    message { try NpyFormat.parse(bytes, name: "X.npy") }
  }

  @Test("Round trip is bit-exact for matrices and vectors")
  func roundTrip() throws {
    let matrix = NumPyArray(Matrix(rows: 4, columns: 3, elements: Self.awkward))
    let back = try NpyFormat.parse(NpyFormat.encode(matrix), name: "m.npy")
    #expect(back.shape == [4, 3])
    #expect(back.dtype == .float64)
    #expect(back.values.map(\.bitPattern) == Self.awkward.map(\.bitPattern))
    #expect(back.matrix == Matrix(rows: 4, columns: 3, elements: Self.awkward))

    let vector = NumPyArray(vector: Self.awkward)
    let backVector = try NpyFormat.parse(NpyFormat.encode(vector), name: "v.npy")
    #expect(backVector.shape == [12])
    #expect(backVector.values.map(\.bitPattern) == Self.awkward.map(\.bitPattern))
    #expect(backVector.matrix == nil)

    for shape in [[0], [0, 3], [3, 0], [1, 1]] {
      let count = shape.reduce(1, *)
      let array = try NumPyArray(shape: shape, values: Array(Self.awkward.prefix(count)))
      let back = try NpyFormat.parse(NpyFormat.encode(array), name: "e.npy")
      #expect(back.shape == shape)
      #expect(back.values.map(\.bitPattern) == array.values.map(\.bitPattern))
    }
  }

  @Test("Non-finite values round-trip only when allowed, else name their position")
  func nonFinite() throws {
    let nan = Double(nan: 0x1234, signaling: false)
    let array = try NumPyArray(shape: [2, 3], values: [0, 1, 2, 3, 4, nan])
    let bytes = NpyFormat.encode(array)
    #expect(parse(bytes) == "X.npy: element [1, 2] is NaN; values must be finite")
    let back = try NpyFormat.parse(bytes, name: "X.npy", allowNonFinite: true)
    #expect(back.values.map(\.bitPattern) == array.values.map(\.bitPattern))
    let inf = NpyFormat.encode(NumPyArray(vector: [1, -.infinity]))
    #expect(parse(inf) == "X.npy: element [1] is -inf; values must be finite")
  }

  @Test("The header is laid out exactly as NumPy writes it")
  func headerLayout() throws {
    let bytes = NpyFormat.encode(NumPyArray(Matrix(rows: 4, columns: 3, elements: Self.awkward)))
    #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
    #expect(Int(bytes[8]) | Int(bytes[9]) << 8 == 118)
    let header = String(decoding: bytes[10..<128], as: UTF8.self)
    let literal = "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }"
    #expect(header == literal + String(repeating: " ", count: 117 - literal.count) + "\n")
    #expect(bytes.count == 128 + 12 * 8)

    let vector = NpyFormat.encode(NumPyArray(vector: [1, 2, 3, 4, 5]))
    let vectorHeader = String(decoding: vector[10..<128], as: UTF8.self)
    #expect(vectorHeader.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }  "))
    #expect(vectorHeader.hasSuffix(" \n"))

    // The data starts at a multiple of 64 for every shape.
    for shape in [[0], [7], [123456], [0, 0], [20, 1000], [1_000_000, 3]] {
      let literal = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape.count == 1 ? "(\(shape[0]),)" : "(\(shape[0]), \(shape[1]))"), }"
      let wrapped = NpyFormat.wrapHeader(literal)
      #expect(wrapped.count % 64 == 0)
      #expect(wrapped.last == 0x0A)
    }
  }

  @Test("Long headers use version 2.0, non-Latin-1 headers version 3.0")
  func versions() throws {
    let long = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }" + String(repeating: " ", count: 70_000)
    let v2 = NpyFormat.wrapHeader(long)
    #expect(Array(v2[6..<8]) == [2, 0])
    #expect(v2.count % 64 == 0)
    let length = (0..<4).reduce(0) { $0 | Int(v2[8 + $1]) << (8 * $1) }
    #expect(length == v2.count - 12)
    let back = try NpyFormat.parse(v2 + IOTestSupport.f64([1.5, -2]), name: "v2.npy")
    #expect(back.values == [1.5, -2])

    let unicode = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'note': 'λ'}"
    let v3 = NpyFormat.wrapHeader(unicode)
    #expect(Array(v3[6..<8]) == [3, 0])
    // The extra key is rejected, after the UTF-8 header was decoded.
    #expect(
      parse(v3 + IOTestSupport.f64([1]))
        == "X.npy: the header has an unexpected key 'note': {'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'note': 'λ'}")
    let good = NpyFormat.wrapHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }")
    var asV3 = good
    asV3[6] = 3
    asV3.replaceSubrange(8..<10, with: [UInt8(good.count - 12 + 2), 0, 0, 0])
    #expect(try NpyFormat.parse(asV3 + IOTestSupport.f64([4]), name: "v3.npy").values == [4])
  }

  @Test("Fortran-order matrices are transposed into C order")
  func fortranOrder() throws {
    // The matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
    let bytes = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", IOTestSupport.f64([1, 4, 2, 5, 3, 6]))
    let array = try NpyFormat.parse(bytes, name: "f.npy")
    #expect(array.shape == [2, 3])
    #expect(array.values == [1, 2, 3, 4, 5, 6])
    let vector = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (3,), }", IOTestSupport.f64([7, 8, 9]))
    #expect(try NpyFormat.parse(vector, name: "f.npy").values == [7, 8, 9])
    // Empty arrays with a huge other dimension neither hang nor allocate.
    let empty = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (4611686018427387904, 0), }")
    #expect(try NpyFormat.parse(empty, name: "f.npy").shape == [4_611_686_018_427_387_904, 0])
  }

  @Test("Header dicts in any key order and spacing, with Python 2 longs, parse")
  func headerVariants() throws {
    let data = IOTestSupport.f64([1, 2, 3, 4, 5, 6])
    for literal in [
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}",
      "{'descr':'<f8','fortran_order':False,'shape':(2,3)}",
      "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 3,), }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }",
      "  {'descr': u'<f8',\n 'fortran_order': False, 'shape': ( 2 , 3 ) }  \n",
    ] {
      let array = try NpyFormat.parse(npy(literal, data), name: "h.npy")
      #expect(array.shape == [2, 3], "\(literal)")
      #expect(array.values == [1, 2, 3, 4, 5, 6], "\(literal)")
    }
  }

  @Test("Every supported dtype converts exactly")
  func dtypes() throws {
    func bytes<T: FixedWidthInteger>(_ values: [T], bigEndian: Bool = false) -> [UInt8] {
      values.flatMap { v -> [UInt8] in
        var x = bigEndian ? v.bigEndian : v.littleEndian
        return withUnsafeBytes(of: &x) { Array($0) }
      }
    }
    func read(_ descr: String, _ data: [UInt8], count: Int) throws -> NumPyArray {
      try NpyFormat.parse(npy("{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(count),), }", data), name: "t.npy")
    }
    let floats: [Float] = [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
    let f4 = try read("<f4", bytes(floats.map(\.bitPattern)), count: 4)
    #expect(f4.dtype == .float32)
    #expect(f4.values.map(\.bitPattern) == floats.map { Double($0).bitPattern })
    #expect(try read(">f4", bytes(floats.map(\.bitPattern), bigEndian: true), count: 4).values == floats.map(Double.init))
    #expect(
      try read(">f8", bytes(Self.awkward.map(\.bitPattern), bigEndian: true), count: 12).values.map(\.bitPattern)
        == Self.awkward.map(\.bitPattern))
    // float16: 1, −2, the smallest subnormal 2⁻²⁴, the largest finite 65504, −0.
    let f2 = try read("<f2", bytes([UInt16(0x3C00), 0xC000, 0x0001, 0x7BFF, 0x8000]), count: 5)
    #expect(f2.values.map(\.bitPattern) == [1, -2, 0x1p-24, 65504, -0.0].map(\.bitPattern))
    #expect(try read("<i8", bytes([Int64(1), -1, Int64.max]), count: 3).values == [1, -1, 9.223372036854775807e18])
    #expect(try read(">i8", bytes([Int64(-5), 7], bigEndian: true), count: 2).values == [-5, 7])
    #expect(try read("<i4", bytes([Int32(1), -1, Int32.min]), count: 3).values == [1, -1, -2147483648])
    #expect(try read(">i4", bytes([Int32(-3)], bigEndian: true), count: 1).values == [-3])
    #expect(try read("<i2", bytes([Int16(-300)]), count: 1).values == [-300])
    #expect(try read("|i1", [0xFF, 0x01], count: 2).values == [-1, 1])
    #expect(try read("|u1", [0xFF, 0x00], count: 2).values == [255, 0])
    #expect(try read("<u1", [0x02], count: 1).dtype == .uint8)
    #expect(try read("|b1", [0x00, 0x01], count: 2).values == [0, 1])
    #expect(try read("=f8", IOTestSupport.f64([2]), count: 1).dtype == .float64)
  }

  @Test("A bad preamble says what is wrong")
  func badPreamble() {
    #expect(parse([]) == "X.npy: empty file (not a NumPy .npy file)")
    #expect(parse(Array("hello world".utf8)) == "X.npy: not a NumPy .npy file (it does not start with the magic \\x93NUMPY)")
    #expect(parse([0x50, 0x4B, 0x03, 0x04, 0, 0]) == "X.npy: a zip archive (an .npz?), not a NumPy .npy file")
    #expect(parse([0x93, 0x4E, 0x55]) == "X.npy: truncated: the file ends after 3 bytes, inside the .npy preamble")
    #expect(parse(NpyFormat.magic + [2, 0, 10]) == "X.npy: truncated: the file ends after 9 bytes, inside the .npy preamble")
    #expect(parse(NpyFormat.magic + [4, 0, 0, 0]) == "X.npy: unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)")
    #expect(parse(NpyFormat.magic + [1, 1, 0, 0]) == "X.npy: unsupported .npy format version 1.1 (supported: 1.0, 2.0, 3.0)")
    #expect(
      parse(NpyFormat.magic + [1, 0, 0x76, 0] + Array("{'descr'".utf8))
        == "X.npy: truncated header: the preamble says 118 bytes but only 8 bytes follow")
    #expect(
      parse(NpyFormat.magic + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        == "X.npy: truncated header: the preamble says 4294967295 bytes but only 0 bytes follow")
    var v3 = NpyFormat.magic + [3, 0, 4, 0, 0, 0]
    v3 += [0x7B, 0xFF, 0xFE, 0x7D]
    #expect(parse(v3) == "X.npy: the version 3.0 header is not valid UTF-8")
  }

  @Test("A bad header dict says what is wrong")
  func badHeader() {
    let data = IOTestSupport.f64([1, 2, 3, 4, 5, 6])
    func header(_ literal: String) -> String { parse(npy(literal, data)) }
    #expect(header("[1, 2]") == "X.npy: the header is not a Python dict: [1, 2]")
    #expect(
      header("{'descr': '<f8', 'fortran_order': False}")
        == "X.npy: the header has no 'shape' key: {'descr': '<f8', 'fortran_order': False}")
    #expect(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), 'extra': 1}")
        == "X.npy: the header has an unexpected key 'extra': {'descr': '<f8', 'fortran_order': False, 'shape': (6,), 'extra': 1}")
    #expect(
      header("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (6,)}")
        == "X.npy: the header repeats the key 'descr': {'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (6,)}")
    #expect(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (6,)")
        == "X.npy: malformed header (expected ',' or '}' in the dict): {'descr': '<f8', 'fortran_order': False, 'shape': (6,)")
    #expect(
      header("{'descr': '<f8, 'fortran_order': False, 'shape': (6,)}")
        == "X.npy: malformed header (expected ',' or '}' in the dict): {'descr': '<f8, 'fortran_order': False, 'shape': (6,)}")
    #expect(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (6.0,)}")
        == "X.npy: malformed header (only integers are allowed, found '.' in a number): {'descr': '<f8', 'fortran_order': False, 'shape': (6.0,)}")
    #expect(
      header("{'descr': '<f8', 'fortran_order': false, 'shape': (6,)}")
        == "X.npy: malformed header (unexpected name 'false'): {'descr': '<f8', 'fortran_order': false, 'shape': (6,)}")
    #expect(
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (6,)} x")
        == "X.npy: malformed header (unexpected 'x' after the value): {'descr': '<f8', 'fortran_order': False, 'shape': (6,)} x")
    let deep = String(repeating: "(", count: 10_000) + String(repeating: ")", count: 10_000)
    #expect(header(deep).hasPrefix("X.npy: malformed header (nested too deeply): (((((("))
    #expect(header(deep).count < 200)
  }

  @Test("Unsupported dtypes are named")
  func badDescr() {
    let data = IOTestSupport.f64([1, 2, 3, 4, 5, 6])
    func descr(_ d: String) -> String { parse(npy("{'descr': \(d), 'fortran_order': False, 'shape': (6,), }", data)) }
    #expect(descr("'|O'") == "X.npy: object arrays ('|O') are not supported (they hold pickled Python objects)")
    #expect(
      descr("'<c16'")
        == "X.npy: complex dtype '<c16' is not supported (supported: <f8, <f4, <f2, >f8, >f4, <i8, <i4, <i2, >i8, >i4, |i1, |u1, |b1)")
    #expect(
      descr("'<U5'")
        == "X.npy: unsupported dtype '<U5' (supported: <f8, <f4, <f2, >f8, >f4, <i8, <i4, <i2, >i8, >i4, |i1, |u1, |b1)")
    #expect(
      descr("[('a', '<f8'), ('b', '<i4')]")
        == "X.npy: structured dtype [('a', '<f8'), ('b', '<i4')] is not supported (need a plain numeric array)")
    #expect(descr("8") == "X.npy: 'descr' is not a dtype string: 8")
    #expect(
      parse(npy("{'descr': '<f8', 'fortran_order': 0, 'shape': (6,), }", data))
        == "X.npy: 'fortran_order' is not True or False: 0")
  }

  @Test("Bad shapes are named")
  func badShape() {
    func shape(_ s: String, _ data: [UInt8] = []) -> String {
      parse(npy("{'descr': '<f8', 'fortran_order': False, 'shape': \(s), }", data))
    }
    #expect(shape("()", IOTestSupport.f64([1])) == "X.npy: 0-dimensional array (a scalar, shape ()); need a vector or a matrix")
    #expect(shape("(1, 2, 3)") == "X.npy: 3-dimensional array (shape (1, 2, 3)); need a vector or a matrix")
    #expect(shape("(-1, 3)") == "X.npy: negative dimension in shape (-1, 3)")
    #expect(shape("[2, 3]") == "X.npy: 'shape' is not a tuple of integers: [2, 3]")
    #expect(shape("(6)") == "X.npy: 'shape' is not a tuple of integers: 6")
    #expect(shape("('6',)") == "X.npy: 'shape' is not a tuple of integers: ('6',)")
    #expect(
      shape("(4611686018427387904, 4)")
        == "X.npy: size overflow: shape (4611686018427387904, 4) has more elements than fit in memory")
    #expect(
      shape("(2305843009213693952,)")
        == "X.npy: size overflow: shape (2305843009213693952,) of float64 needs more bytes than fit in memory")
    #expect(
      shape("(99999999999999999999, 1)")
        == "X.npy: size overflow: dimension 99999999999999999999 in shape (99999999999999999999, 1) does not fit in 64 bits")
  }

  @Test("Data shorter or longer than the header says is an error")
  func dataLength() {
    let literal = "{'descr': '<f8', 'fortran_order': False, 'shape': (20, 1000), }"
    #expect(
      parse(npy(literal, [UInt8](repeating: 0, count: 1200)))
        == "X.npy: truncated data: header says 20×1000 float64 (160000 bytes) but only 1200 bytes follow")
    #expect(
      parse(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", [0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 9]))
        == "X.npy: trailing bytes: header says 3 int32 (12 bytes) but 13 bytes follow")
    #expect(
      parse(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (1, 1), }", [1]))
        == "X.npy: truncated data: header says 1×1 float64 (big-endian) (8 bytes) but only 1 byte follows")
  }

  @Test("Corrupted files never crash: each parses or throws a one-line FileFormatError")
  func corruption() {
    var random = SeededGenerator(seed: 11)
    let valid = NpyFormat.encode(NumPyArray(Matrix(rows: 3, columns: 2, elements: [1, 2, 3, 4, 5, 6])))
    for trial in 0..<3000 {
      var bytes = valid
      switch trial % 3 {
      case 0:  // overwrite a few bytes, mostly in the preamble and header
        for _ in 0..<Int.random(in: 1...3, using: &random) {
          let k = Int.random(in: 0..<(trial % 2 == 0 ? 128 : bytes.count), using: &random)
          bytes[k] = UInt8.random(in: 0...255, using: &random)
        }
      case 1:  // truncate
        bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
      default:  // insert a printable byte in the header
        let k = Int.random(in: 10..<128, using: &random)
        bytes.insert(Array("(),:'-0123456789L{}[] TrueFals".utf8).randomElement(using: &random)!, at: k)
      }
      do {
        _ = try NpyFormat.parse(bytes, name: "f.npy")
      } catch let error as FileFormatError {
        #expect(error.description.hasPrefix("f.npy: "))
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
      } catch {
        Issue.record("not a FileFormatError: \(error)")
      }
    }
  }

  @Test("NumPyArray validates its shape")
  func arrayInit() {
    #expect(
      IOTestSupport.message { _ = try NumPyArray(shape: [2, 3], values: [1, 2]) }
        == "shape (2, 3) has 6 elements but 2 values were given")
    #expect(IOTestSupport.message { _ = try NumPyArray(shape: [1, 1, 1], values: [1]) } == "a NumPyArray has 1 or 2 dimensions, not 3")
    #expect(IOTestSupport.message { _ = try NumPyArray(shape: [-2], values: []) } == "negative dimension in shape (-2,)")
    #expect(
      IOTestSupport.message { _ = try NumPyArray(shape: [Int.max, 2], values: []) } == "shape (9223372036854775807, 2) has too many elements")
  }

  @Test("write goes through AtomicFile and read names the file")
  func writeRead() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("a.npy")
    let array = NumPyArray(Matrix(rows: 4, columns: 3, elements: Self.awkward))
    try NpyFormat.write(array, to: url, overwrite: false)
    #expect(try NpyFormat.read(url).values.map(\.bitPattern) == Self.awkward.map(\.bitPattern))
    #expect(
      IOTestSupport.message { try NpyFormat.write(array, to: url, overwrite: false) } == "\(url.path): already exists")
    try NpyFormat.write(NumPyArray(vector: [1]), to: url, overwrite: true)
    #expect(try NpyFormat.read(url).values == [1])
    let missing = dir.appendingPathComponent("missing.npy")
    #expect(IOTestSupport.message { _ = try NpyFormat.read(missing) } == "\(missing.path): no such file")
    #expect(IOTestSupport.message { _ = try NpyFormat.read(dir) } == "\(dir.path): is a directory, not a file")
    try Data([1, 2, 3]).write(to: url)
    #expect(
      IOTestSupport.message { _ = try NpyFormat.read(url) }
        == "\(url.path): not a NumPy .npy file (it does not start with the magic \\x93NUMPY)")
  }
}
