import Foundation

/// The `Encoder` behind ``RunRowCodec``: a row's keyed fields become the cells of
/// its columns (the cells of unset optionals stay empty). A field is flattened:
/// a nested `Codable` value encoded with `encode(to: encoder)` writes its own keys
/// into the same record, and a single-value type (``Rounded``) writes one cell.
final class RunRowEncoder: Encoder {
  let codingPath: [CodingKey] = []
  let userInfo: [CodingUserInfoKey: Any] = [:]
  /// Column name → position in ``cells``.
  let index: [String: Int]
  /// The record being filled, one cell per column.
  var cells: [String]

  init(index: [String: Int]) {
    self.index = index
    self.cells = Array(repeating: "", count: index.count)
  }

  /// Writes the cell of `key`.
  ///
  /// - Throws: `EncodingError.invalidValue` when `key` is not a column.
  func put(_ text: String, _ key: CodingKey) throws {
    guard let k = index[key.stringValue] else {
      throw EncodingError.invalidValue(text, EncodingError.Context(codingPath: [key], debugDescription: "\"\(key.stringValue)\" is not a column of runs.csv"))
    }
    cells[k] = text
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(Keyed<Key>(encoder: self))
  }

  func unkeyedContainer() -> UnkeyedEncodingContainer {
    preconditionFailure("a runs.csv row is a flat record of named cells: no unkeyed containers")
  }

  func singleValueContainer() -> SingleValueEncodingContainer {
    preconditionFailure("a runs.csv row is a record of named cells, not a single value")
  }

  /// The text of one cell: Double as ``RunsCSV/cell(_:)``, Bool as `1`/`0`, Int and String as written.
  static func text<T: Encodable>(_ value: T, key: CodingKey) throws -> String {
    switch value {
    case let v as Double: return RunsCSV.cell(v)
    case let v as Int: return String(v)
    case let v as String: return v
    case let v as Bool: return v ? "1" : "0"
    default:
      let single = SingleCell(key: key)
      try value.encode(to: single)
      guard let text = single.text else {
        throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [key], debugDescription: "wrote no cell"))
      }
      return text
    }
  }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: RunRowEncoder
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { try encoder.put("", key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try encoder.put(RunRowEncoder.text(value, key: key), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try encoder.put(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encoder.put(RunsCSV.cell(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encoder.put(RunsCSV.cell(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encoder.put(String(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      if let group = value as? any RunColumnGroup {
        try group.encode(to: encoder)  // flattened: its keys are columns of this row
      } else {
        try encoder.put(RunRowEncoder.text(value, key: key), key)
      }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
      encoder.container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer { encoder.unkeyedContainer() }
    mutating func superEncoder() -> Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> Encoder { encoder }
  }

  /// Captures the one cell a single-value type (such as ``Rounded``) writes.
  final class SingleCell: Encoder, SingleValueEncodingContainer {
    let key: CodingKey
    var text: String?
    var codingPath: [CodingKey] { [key] }
    let userInfo: [CodingUserInfoKey: Any] = [:]

    init(key: CodingKey) { self.key = key }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      preconditionFailure("the cell \(key.stringValue) holds one value, not a record")
    }
    func unkeyedContainer() -> UnkeyedEncodingContainer { preconditionFailure("the cell \(key.stringValue) holds one value, not a list") }
    func singleValueContainer() -> SingleValueEncodingContainer { self }

    func encodeNil() throws { text = "" }
    func encode(_ value: Bool) throws { text = value ? "1" : "0" }
    func encode(_ value: String) throws { text = value }
    func encode(_ value: Double) throws { text = RunsCSV.cell(value) }
    func encode(_ value: Float) throws { text = RunsCSV.cell(Double(value)) }
    func encode(_ value: Int) throws { text = String(value) }
    func encode(_ value: Int8) throws { text = String(value) }
    func encode(_ value: Int16) throws { text = String(value) }
    func encode(_ value: Int32) throws { text = String(value) }
    func encode(_ value: Int64) throws { text = String(value) }
    func encode(_ value: UInt) throws { text = String(value) }
    func encode(_ value: UInt8) throws { text = String(value) }
    func encode(_ value: UInt16) throws { text = String(value) }
    func encode(_ value: UInt32) throws { text = String(value) }
    func encode(_ value: UInt64) throws { text = String(value) }
    func encode<T: Encodable>(_ value: T) throws { text = try RunRowEncoder.text(value, key: key) }
  }
}
