import Foundation

/// The `Decoder` behind ``RunRowCodec``: reads a row's keyed fields from the cells
/// of its columns. An empty cell decodes as `nil` for an optional field; a nested
/// `Codable` value decoded with `init(from: decoder)` reads its own keys from the
/// same record, and a single-value type (``Rounded``) reads one cell.
struct RunRowDecoder: Decoder {
  let codingPath: [CodingKey] = []
  let userInfo: [CodingUserInfoKey: Any] = [:]
  /// Column name → position in ``cells``.
  let index: [String: Int]
  /// The record being read, one cell per column.
  let cells: [String]

  /// The cell of `key`.
  ///
  /// - Throws: `DecodingError.keyNotFound` when `key` is not a column.
  func cell(_ key: CodingKey) throws -> String {
    guard let k = index[key.stringValue] else {
      throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: [key], debugDescription: "no column \"\(key.stringValue)\" in runs.csv"))
    }
    return cells[k]
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
    KeyedDecodingContainer(Keyed<Key>(decoder: self))
  }

  func unkeyedContainer() throws -> UnkeyedDecodingContainer {
    throw DecodingError.typeMismatch([Any].self, DecodingError.Context(codingPath: [], debugDescription: "a runs.csv row is a flat record of named cells"))
  }

  func singleValueContainer() throws -> SingleValueDecodingContainer {
    throw DecodingError.typeMismatch(Any.self, DecodingError.Context(codingPath: [], debugDescription: "a runs.csv row is a record of named cells"))
  }

  /// The value of type `T` in the cell `text`: Double as ``RunsCSV/number(_:)``, Bool from `1`/`0`,
  /// Int and String as written, other types through their single-value `init(from:)`.
  ///
  /// - Throws: `DecodingError.dataCorrupted` when the cell is not a value of the type.
  static func value<T: Decodable>(_ type: T.Type, _ text: String, key: CodingKey) throws -> T {
    func corrupted() -> DecodingError {
      DecodingError.dataCorrupted(DecodingError.Context(codingPath: [key], debugDescription: "\"\(text)\" is not a \(T.self)"))
    }
    if T.self == Double.self { guard let v = RunsCSV.number(text) else { throw corrupted() }; return v as! T }
    if T.self == Int.self { guard let v = Int(text) else { throw corrupted() }; return v as! T }
    if T.self == String.self { return text as! T }
    if T.self == Bool.self {
      guard text == "1" || text == "0" else { throw corrupted() }
      return (text == "1") as! T
    }
    // The other standard numbers (Float, Int8 … UInt64) read as their text.
    if let lossless = T.self as? LosslessStringConvertible.Type {
      guard let v = lossless.init(text) as? T else { throw corrupted() }
      return v
    }
    return try T(from: SingleCell(key: key, text: text))
  }

  struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RunRowDecoder
    var codingPath: [CodingKey] { [] }
    /// The columns, in their order in `runs.csv`.
    var allKeys: [Key] { decoder.index.sorted { $0.value < $1.value }.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { decoder.index[key.stringValue] != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try decoder.cell(key).isEmpty }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try RunRowDecoder.value(type, try decoder.cell(key), key: key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      if let group = type as? any RunColumnGroup.Type {
        return try group.init(from: decoder) as! T  // flattened: its keys are columns of this row
      }
      return try RunRowDecoder.value(type, try decoder.cell(key), key: key)
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
      decoder.container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try decoder.unkeyedContainer() }
    func superDecoder() throws -> Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> Decoder { decoder }
  }

  /// One cell as the decoder of a single-value type (such as ``Rounded``).
  struct SingleCell: Decoder, SingleValueDecodingContainer {
    let key: CodingKey
    let text: String
    var codingPath: [CodingKey] { [key] }
    let userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
      throw DecodingError.typeMismatch(type, DecodingError.Context(codingPath: [key], debugDescription: "the cell holds one value, not a record"))
    }
    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
      throw DecodingError.typeMismatch([Any].self, DecodingError.Context(codingPath: [key], debugDescription: "the cell holds one value, not a list"))
    }
    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { text.isEmpty }
    func decode(_ type: Bool.Type) throws -> Bool { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: String.Type) throws -> String { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: Double.Type) throws -> Double { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: Float.Type) throws -> Float { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: Int.Type) throws -> Int { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: Int8.Type) throws -> Int8 { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: Int16.Type) throws -> Int16 { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: Int32.Type) throws -> Int32 { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: Int64.Type) throws -> Int64 { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: UInt.Type) throws -> UInt { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try RunRowDecoder.value(type, text, key: key) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try RunRowDecoder.value(type, text, key: key) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try RunRowDecoder.value(type, text, key: key) }
  }
}
