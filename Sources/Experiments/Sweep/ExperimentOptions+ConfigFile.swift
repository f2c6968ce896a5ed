import Foundation
import Unlearning

/// `config.json`: the one file format of ``ExperimentOptions``. `unlearn reproduce`
/// and `unlearn merge` save the resolved options of their output in it, and
/// `unlearn sweep` writes the resolved options of the whole sweep into the sweep
/// folder, from where every array task reads them (`unlearn reproduce --config`).
///
/// The JSON is the synthesized `Codable` form: one key per field (the field's
/// name), unset fields left out, pretty-printed with sorted keys. Doubles are
/// written in their shortest form that reads back to the same bits, so the
/// options read back are equal to the options written (`==`, bit for bit).
extension ExperimentOptions {
  /// The file name of the options inside an output or sweep folder.
  package static let configFileName = "config.json"

  /// Every field of the options by name, which is also its JSON key (read off the type, so it cannot miss a field).
  package static var fieldNames: [String] { Mirror(reflecting: ExperimentOptions()).children.compactMap(\.label) }

  /// The bytes of `config.json` holding these options.
  package func configJSON() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }

  /// Writes these options to `url` atomically (a reader sees the old file or the whole new one).
  package func writeConfig(to url: URL) throws {
    try AtomicFile.write([UInt8](try configJSON()), to: url, overwrite: true)
  }

  /// The options in the `config.json` at `url`.
  ///
  /// Throws ``FileFormatError`` of kind ``FileFormatError/Kind/io`` when the file is
  /// missing or unreadable, and ``FileFormatError/Kind/malformed`` when it is not a
  /// JSON object of options: not JSON, a value of the wrong type, or a key that is no
  /// option (a misspelt option would otherwise be dropped silently, and the default run).
  package static func readConfig(from url: URL) throws -> ExperimentOptions {
    let name = FileFormatError.displayName(url)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw FileFormatError(.io, file: name, "no such file")
    }
    guard !isDirectory.boolValue else { throw FileFormatError(.io, file: name, "is a directory, not a config file") }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw FileFormatError(.io, file: name, "cannot read the file (\(error.localizedDescription))")
    }
    return try decodeConfig(data, file: name)
  }

  /// The options in the bytes of a `config.json` (`file` names it in errors); see ``readConfig(from:)``.
  package static func decodeConfig(_ data: Data, file: String? = nil) throws -> ExperimentOptions {
    guard let object = try? JSONSerialization.jsonObject(with: data) else {
      throw FileFormatError(.malformed, file: file, "not JSON (a config.json holds one JSON object of experiment options)")
    }
    guard let dictionary = object as? [String: Any] else {
      throw FileFormatError(.malformed, file: file, "not a JSON object of experiment options")
    }
    let known = Set(fieldNames)
    if let unknown = dictionary.keys.sorted().first(where: { !known.contains($0) }) {
      throw FileFormatError(.malformed, file: file, "unknown option \"\(unknown)\" (the options are \(fieldNames.sorted().joined(separator: ", ")))")
    }
    do {
      return try JSONDecoder().decode(ExperimentOptions.self, from: data)
    } catch let error as DecodingError {
      throw FileFormatError(.malformed, file: file, describe(error))
    }
  }

  /// One line about a decoding failure: where, and what was expected.
  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return keys.isEmpty ? "" : "\"\(keys.joined(separator: "."))\": "
    }
    switch error {
    case .typeMismatch(let type, let context):
      return "\(path(context))expected \(type) (\(context.debugDescription))"
    case .valueNotFound(let type, let context):
      return "\(path(context))expected \(type), found null"
    case .keyNotFound(let key, let context):
      return "\(path(context))missing \"\(key.stringValue)\""
    case .dataCorrupted(let context):
      return "\(path(context))\(context.debugDescription)"
    @unknown default:
      return "not a JSON object of experiment options"
    }
  }
}
