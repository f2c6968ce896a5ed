import Foundation
import LinearAlgebra
import Testing
import Unlearning

@Suite("safetensors format")
struct SafetensorsFileTests {
  /// A safetensors file: the 8-byte length, `json`, then `buffer`.
  func file(_ json: String, _ buffer: [UInt8] = []) -> [UInt8] {
    let header = Array(json.utf8)
    var length = UInt64(header.count).littleEndian
    return withUnsafeBytes(of: &length) { Array($0) } + header + buffer
  }

  func parse(_ bytes: [UInt8]) -> String {
    IOTestSupport.message { _ = try SafetensorsFile.parse(bytes, name: "m.safetensors") }
  }

  func u16(_ values: [UInt16]) -> [UInt8] {
    values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
  }

  func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

  @Test("F64 round trip is bit-exact, with metadata")
  func roundTrip() throws {
    let awkward = NpyFormatTests.awkward
    let original = SafetensorsFile(
      tensors: [
        "W": SafetensorsTensor(Matrix(rows: 4, columns: 3, elements: awkward)),
        "u": SafetensorsTensor(vector: [0.5, -0.5]),
        "empty": try SafetensorsTensor(shape: [0, 5], values: []),
        "scalar": try SafetensorsTensor(shape: [], values: [-0.0]),
        "quote\"and\\newline\n": SafetensorsTensor(vector: [1]),
      ],
      metadata: ["architecture": "two-layer-relu", "loss": "exponential", "train_output_layer": "false", "ünïcode": "λ\t"])
    let bytes = try original.encode()
    let back = try SafetensorsFile.parse(bytes, name: "m.safetensors")
    #expect(back.metadata == original.metadata)
    #expect(Set(back.tensors.keys) == Set(original.tensors.keys))
    for (name, tensor) in original.tensors {
      let read = try #require(back.tensors[name])
      #expect(read.shape == tensor.shape)
      #expect(read.dtype == .f64)
      #expect(bits(read.values) == bits(tensor.values))
    }
    #expect(back.tensors["W"]?.matrix == Matrix(rows: 4, columns: 3, elements: awkward))
    #expect(back == original)
  }

  @Test("The header is compact JSON, metadata first, tensors sorted and contiguous, padded to 8 bytes")
  func layout() throws {
    let file = SafetensorsFile(
      tensors: ["u": SafetensorsTensor(vector: [1, 2]), "W": SafetensorsTensor(Matrix(rows: 1, columns: 1, elements: [3])), "a": SafetensorsTensor(vector: [4])],
      metadata: ["z": "1", "b": "2"])
    let bytes = try file.encode()
    let length = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
    #expect(length % 8 == 0)
    let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
    let json =
      #"{"__metadata__":{"b":"2","z":"1"},"W":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"#
      + #""a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"u":{"dtype":"F64","shape":[2],"data_offsets":[16,32]}}"#
    #expect(header == json + String(repeating: " ", count: length - json.utf8.count))
    #expect(Array(bytes[(8 + length)...]) == IOTestSupport.f64([3, 4, 1, 2]))
    // Without metadata there is no __metadata__ entry.
    let plain = try SafetensorsFile(tensors: ["w": SafetensorsTensor(vector: [1])]).encode()
    #expect(String(decoding: plain[8..<64], as: UTF8.self) == #"{"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"# + "  ")
  }

  @Test("F32 writes round to float and read back exactly; overflow is an error")
  func float32() throws {
    let values: [Double] = [0.1, -2, 1e-40, 65536, -0.0, 3.4028234663852886e38]
    let file = SafetensorsFile(tensors: ["w": SafetensorsTensor(vector: values)])
    let bytes = try file.encode(dtype: .f32)
    #expect(bytes.count == 8 + 56 + 24)
    let back = try SafetensorsFile.parse(bytes, name: "m.safetensors")
    let w = try #require(back.tensors["w"])
    #expect(w.dtype == .f32)
    #expect(bits(w.values) == bits(values.map { Double(Float($0)) }))
    let big = SafetensorsFile(tensors: ["W": SafetensorsTensor(Matrix(rows: 2, columns: 2, elements: [1, 2, 3, 1e300]))])
    #expect(IOTestSupport.message { _ = try big.encode(dtype: .f32) } == "tensor 'W': element [1, 1] = 1e+300 does not fit in F32")
    #expect(IOTestSupport.message { _ = try big.encode(dtype: .f16) } == "tensor 'W': element [1, 1] = 1e+300 does not fit in F16")
    let reserved = SafetensorsFile(tensors: ["__metadata__": SafetensorsTensor(vector: [1])])
    #expect(IOTestSupport.message { _ = try reserved.encode() } == "a tensor cannot be named __metadata__")
  }

  @Test("F16 and BF16 writes round to nearest (ties to even) and read back; each tensor in its own dtype")
  func halfPrecisionWrites() throws {
    // Exactly representable values come back bit for bit; the others round to nearest, ties to even.
    let exact: [Double] = [1, -2, 0x1p-24, 1023 * 0x1p-24, 0x1p-14, 65504, -0.0, 0x1.554p-2]
    let f16 = SafetensorsFile(tensors: ["h": SafetensorsTensor(vector: exact)])
    let back = try SafetensorsFile.parse(try f16.encode(dtype: .f16), name: "h.safetensors")
    #expect(back.tensors["h"]?.dtype == .f16)
    #expect(bits(back.tensors["h"]?.values ?? []) == bits(exact))
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even gives 1; 1 + 3·2^-11 rounds up to 1 + 2^-9.
    // 2^-25 is halfway between 0 and the least subnormal: 0; 65519 rounds to 65504, 65520 overflows.
    let rounding = SafetensorsFile(tensors: ["h": SafetensorsTensor(vector: [1 + 0x1p-11, 1 + 3 * 0x1p-11, 0x1p-25, 65519])])
    let rounded = try SafetensorsFile.parse(try rounding.encode(dtype: .f16), name: "h.safetensors")
    #expect(rounded.tensors["h"]?.values == [1, 1 + 0x1p-9, 0, 65504])
    #expect(IOTestSupport.message { _ = try SafetensorsFile(tensors: ["h": SafetensorsTensor(vector: [65520])]).encode(dtype: .f16) }
            == "tensor 'h': element [0] = 65520.0 does not fit in F16")
    // BF16: the upper half of the binary32 rounded to nearest even.
    let bf = SafetensorsFile(tensors: ["b": SafetensorsTensor(vector: [1, 1 + 0x1p-8, 1 + 3 * 0x1p-8, 0x1p-133, -3.0e38])])
    let bback = try SafetensorsFile.parse(try bf.encode(dtype: .bf16), name: "b.safetensors")
    #expect(bback.tensors["b"]?.values == [1, 1, 1 + 0x1p-6, 0x1p-133, Double(Float(bitPattern: 0xFF62_0000))])
    // dtype nil: every tensor in its own dtype.
    let mixed = SafetensorsFile(tensors: [
      "a": try SafetensorsTensor(shape: [2], values: [0.5, 0.25], dtype: .f32),
      "b": try SafetensorsTensor(shape: [1], values: [0.1], dtype: .f64),
      "c": try SafetensorsTensor(shape: [1], values: [0.5], dtype: .bf16),
    ])
    let mback = try SafetensorsFile.parse(try mixed.encode(dtype: nil), name: "m.safetensors")
    #expect(mback.tensors.mapValues(\.dtype) == ["a": .f32, "b": .f64, "c": .bf16])
    #expect(mback.tensors["b"]?.values == [0.1])
  }

  @Test("F16 and BF16 convert exactly")
  func halfPrecision() throws {
    // 1, −2, 2⁻²⁴ (smallest subnormal), 1023·2⁻²⁴ (largest subnormal), 2⁻¹⁴ (smallest normal), 65504 (largest), −0, 0x3555.
    let f16Bits: [UInt16] = [0x3C00, 0xC000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x8000, 0x3555]
    let f16Values: [Double] = [1, -2, 0x1p-24, 1023 * 0x1p-24, 0x1p-14, 65504, -0.0, 0x1.554p-2]
    let f16 = try SafetensorsFile.parse(
      file(#"{"h":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]}}"#, u16(f16Bits)), name: "h.safetensors")
    #expect(f16.tensors["h"]?.dtype == .f16)
    #expect(f16.tensors["h"]?.shape == [2, 4])
    #expect(bits(f16.tensors["h"]?.values ?? []) == bits(f16Values))

    // 1, −2, 2⁻¹³³ (smallest subnormal), the largest finite bfloat16, −0, 0.1 rounded (0x3DCD).
    let bf16Bits: [UInt16] = [0x3F80, 0xC000, 0x0001, 0x7F7F, 0x8000, 0x3DCD]
    let bf16Values: [Double] = [1, -2, 0x1p-133, 0x1.FEp127, -0.0, 0x1.9Ap-4]
    let bf16 = try SafetensorsFile.parse(
      file(#"{"b":{"dtype":"BF16","shape":[6],"data_offsets":[0,12]}}"#, u16(bf16Bits)), name: "b.safetensors")
    #expect(bits(bf16.tensors["b"]?.values ?? []) == bits(bf16Values))

    // Infinity and NaN are reported, or returned when allowed.
    let inf = file(#"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, u16([0x3C00, 0xFC00]))
    #expect(parse(inf) == "m.safetensors: tensor 'h': element [1] is -inf; values must be finite")
    let nan = file(#"{"b":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}"#, u16([0x7FC0]))
    #expect(parse(nan) == "m.safetensors: tensor 'b': element [0] is NaN; values must be finite")
    #expect(try SafetensorsFile.parse(nan, name: "m", allowNonFinite: true).tensors["b"]?.values.first?.isNaN == true)
  }

  @Test("A bad header length or header text says what is wrong")
  func badHeader() {
    #expect(parse([]) == "m.safetensors: empty file (not a safetensors file)")
    #expect(parse([1, 2, 3]) == "m.safetensors: truncated: 3 bytes, too short for the 8-byte header length")
    #expect(
      parse([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B])
        == "m.safetensors: header length 18446744073709551615 is absurdly large (more than 100000000 bytes): not a safetensors file?")
    #expect(
      parse([100, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8))
        == "m.safetensors: truncated header: the header length says 100 bytes but only 2 bytes follow")
    #expect(parse([2, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE]) == "m.safetensors: the header is not valid UTF-8")
    #expect(parse(file(#"{"w": }"#)) == "m.safetensors: the header is not valid JSON (unexpected character at byte 6 of the header)")
    #expect(parse(file(#"{"w": {}"#)) == "m.safetensors: the header is not valid JSON (expected ',' or '}' at byte 8 of the header)")
    #expect(parse(file(#"{} x"#)) == "m.safetensors: the header is not valid JSON (unexpected text after the JSON value at byte 3 of the header)")
    #expect(parse(file(#"[1, 2]"#)) == "m.safetensors: the header is not a JSON object")
    let deep = String(repeating: "[", count: 100_000)
    #expect(parse(file(deep)) == "m.safetensors: the header is not valid JSON (nested too deeply at byte 64 of the header)")
    #expect(parse(file("{}  ")) == "no error")
  }

  @Test("Bad metadata says what is wrong")
  func badMetadata() {
    #expect(
      parse(file(#"{"__metadata__": {"k": 1}}"#))
        == "m.safetensors: __metadata__ is not a map of strings to strings (the value of 'k' is a number)")
    #expect(parse(file(#"{"__metadata__": ["k"]}"#)) == "m.safetensors: __metadata__ is not a map of strings to strings (it is a list)")
    #expect(
      parse(file(#"{"__metadata__": {"k": "a", "k": "b"}}"#)) == "m.safetensors: __metadata__ repeats the key 'k'")
    #expect(
      parse(file(#"{"__metadata__": {}, "__metadata__": {}}"#)) == "m.safetensors: the header has two __metadata__ entries")
  }

  @Test("Bad tensor entries name the tensor")
  func badTensor() {
    let eight = IOTestSupport.f64([1])
    func tensor(_ entry: String, _ buffer: [UInt8] = IOTestSupport.f64([1])) -> String {
      parse(file(#"{"w": "# + entry + "}", buffer))
    }
    #expect(tensor("[1]") == "m.safetensors: tensor 'w': its entry is a list, not an object")
    // Control characters from the file are shown escaped, so a message stays one harmless line.
    #expect(
      parse(file(#"{"a\u001b[2J\nb": {"dtype":"I8","shape":[1],"data_offsets":[0,1]}}"#, [0]))
        == #"m.safetensors: tensor 'a\u{1B}[2J\nb': unsupported dtype 'I8' (supported: F64, F32, F16, BF16)"#)
    #expect(
      tensor(#"{"dtype":"I64","shape":[1],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': unsupported dtype 'I64' (supported: F64, F32, F16, BF16)")
    #expect(tensor(#"{"dtype":64,"shape":[1],"data_offsets":[0,8]}"#) == "m.safetensors: tensor 'w': dtype is a number, not a string")
    #expect(tensor(#"{"shape":[1],"data_offsets":[0,8]}"#) == "m.safetensors: tensor 'w': no dtype")
    #expect(tensor(#"{"dtype":"F64","data_offsets":[0,8]}"#) == "m.safetensors: tensor 'w': no shape")
    #expect(tensor(#"{"dtype":"F64","shape":[1]}"#) == "m.safetensors: tensor 'w': no data_offsets")
    #expect(
      tensor(#"{"dtype":"F64","shape":[1],"data_offsets":[0,8],"offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': unexpected key 'offsets' (expected dtype, shape, data_offsets)")
    #expect(
      tensor(#"{"dtype":"F64","dtype":"F64","shape":[1],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': the key 'dtype' appears twice")
    #expect(
      tensor(#"{"dtype":"F64","shape":[-1],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': shape is not a list of non-negative integers: [-1]")
    #expect(
      tensor(#"{"dtype":"F64","shape":[1.0],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': shape is not a list of non-negative integers: [1.0]")
    #expect(
      tensor(#"{"dtype":"F64","shape":"1","data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': shape is not a list of non-negative integers: \"1\"")
    #expect(
      tensor(#"{"dtype":"F64","shape":[99999999999999999999],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': size overflow: dimension 99999999999999999999 does not fit in 64 bits")
    #expect(
      tensor(#"{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': size overflow: shape [4611686018427387904, 4] has too many elements")
    #expect(
      tensor(#"{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': size overflow: shape [2305843009213693952] of F64 needs too many bytes")
    #expect(
      tensor(#"{"dtype":"F64","shape":[1],"data_offsets":[0,8,16]}"#)
        == "m.safetensors: tensor 'w': data_offsets [0,8,16] are not two non-negative integers [begin, end] with begin ≤ end")
    #expect(
      tensor(#"{"dtype":"F64","shape":[1],"data_offsets":[8,0]}"#)
        == "m.safetensors: tensor 'w': data_offsets [8,0] are not two non-negative integers [begin, end] with begin ≤ end")
    #expect(
      tensor(#"{"dtype":"F64","shape":[2],"data_offsets":[0,16]}"#, eight)
        == "m.safetensors: tensor 'w': data_offsets [0, 16] reach beyond the end of the data buffer (8 bytes): truncated file?")
    #expect(
      tensor(#"{"dtype":"F64","shape":[100,1000],"data_offsets":[0,8]}"#)
        == "m.safetensors: tensor 'w': shape [100, 1000] of F64 needs 800000 bytes but data_offsets [0, 8] span 8 bytes")
    #expect(
      tensor(#"{"dtype":"F64","shape":[1],"data_offsets":[0,8]}"#, IOTestSupport.f64([.nan]))
        == "m.safetensors: tensor 'w': element [0] is NaN; values must be finite")
  }

  @Test("Tensors must tile the buffer: overlaps, holes and leftovers are errors")
  func coverage() {
    let buffer = IOTestSupport.f64([1, 2, 3])
    func layout(_ a: String, _ b: String) -> String {
      parse(file(#"{"a":{"dtype":"F64","shape":[1],"data_offsets":"# + a + #"},"b":{"dtype":"F64","shape":[1],"data_offsets":"# + b + "}}", buffer))
    }
    #expect(
      layout("[0,8]", "[4,12]")
        == "m.safetensors: tensors 'a' and 'b' overlap: 'a' ends at byte 8 of the data buffer but 'b' begins at byte 4")
    #expect(
      layout("[0,8]", "[0,8]") == "m.safetensors: tensors 'a' and 'b' overlap: 'a' ends at byte 8 of the data buffer but 'b' begins at byte 0")
    #expect(
      layout("[0,8]", "[16,24]")
        == "m.safetensors: bytes 8..<16 of the data buffer belong to no tensor (a hole before tensor 'b')")
    #expect(
      layout("[8,16]", "[16,24]")
        == "m.safetensors: bytes 0..<8 of the data buffer belong to no tensor (a hole before tensor 'a')")
    #expect(
      layout("[0,8]", "[8,16]") == "m.safetensors: trailing bytes: bytes 16..<24 of the data buffer belong to no tensor")
    #expect(parse(file("{}", [0])) == "m.safetensors: trailing bytes: bytes 0..<1 of the data buffer belong to no tensor")
    #expect(
      parse(file(#"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}"#, buffer))
        == "m.safetensors: the header lists tensor 'a' twice")
    // Tensors listed out of order, and empty tensors, are fine.
    let ok = file(
      #"{"b":{"dtype":"F64","shape":[2],"data_offsets":[8,24]},"e":{"dtype":"F32","shape":[0],"data_offsets":[8,8]},"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#,
      buffer)
    #expect(parse(ok) == "no error")
  }

  @Test("Corrupted files never crash: each parses or throws a one-line FileFormatError")
  func corruption() throws {
    var random = SeededGenerator(seed: 12)
    let valid = try SafetensorsFile(
      tensors: ["W": SafetensorsTensor(Matrix(rows: 2, columns: 2, elements: [1, 2, 3, 4])), "u": SafetensorsTensor(vector: [5, 6])],
      metadata: ["architecture": "two-layer-relu"]
    ).encode()
    let length = (0..<8).reduce(0) { $0 | Int(valid[$1]) << (8 * $1) }
    for trial in 0..<3000 {
      var bytes = valid
      switch trial % 3 {
      case 0:  // overwrite a few bytes, mostly in the header
        for _ in 0..<Int.random(in: 1...3, using: &random) {
          let k = Int.random(in: 0..<(trial % 2 == 0 ? 8 + length : bytes.count), using: &random)
          bytes[k] = UInt8.random(in: 0...255, using: &random)
        }
      case 1:  // truncate
        bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
      default:  // replace a header byte with a JSON character
        let k = Int.random(in: 8..<(8 + length), using: &random)
        bytes[k] = Array("{}[],:\"0123456789-.eE ".utf8).randomElement(using: &random)!
      }
      do {
        _ = try SafetensorsFile.parse(bytes, name: "m.safetensors")
      } catch let error as FileFormatError {
        #expect(error.description.hasPrefix("m.safetensors: "))
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
      } catch {
        Issue.record("not a FileFormatError: \(error)")
      }
    }
  }

  @Test("SafetensorsTensor validates its shape and reports positions")
  func tensorInit() throws {
    #expect(
      IOTestSupport.message { _ = try SafetensorsTensor(shape: [2, 2], values: [1]) }
        == "shape [2, 2] has 4 elements but 1 values were given")
    #expect(IOTestSupport.message { _ = try SafetensorsTensor(shape: [-1], values: []) } == "negative dimension in shape [-1]")
    let t = try SafetensorsTensor(shape: [2, 3, 4], values: Array(repeating: 0, count: 24))
    #expect(t.position(ofIndex: 23) == "[1, 2, 3]")
    #expect(t.matrix == nil)
  }

  @Test("write and read go through files and name them")
  func files() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("model.safetensors")
    let model = SafetensorsFile(tensors: ["w": SafetensorsTensor(vector: [1, 2])], metadata: ["architecture": "linear"])
    try model.write(to: url, overwrite: false)
    #expect(try SafetensorsFile.read(url) == model)
    #expect(IOTestSupport.message { try model.write(to: url, overwrite: false) } == "\(url.path): already exists")
    let big = SafetensorsFile(tensors: ["w": SafetensorsTensor(vector: [1e300])])
    #expect(
      IOTestSupport.message { try big.write(to: url, dtype: .f32, overwrite: true) }
        == "\(url.path): tensor 'w': element [0] = 1e+300 does not fit in F32")
    #expect(try SafetensorsFile.read(url) == model)
    try big.write(to: url, overwrite: true)
    #expect(try SafetensorsFile.read(url) == big)
  }
}
