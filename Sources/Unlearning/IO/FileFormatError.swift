import Foundation

/// Why a file could not be read or written (MATH.md §8).
///
/// Every reader and writer in `IO/` throws this one type. Its ``description`` is
/// one line, `FILE: problem`, naming the file when it is known, e.g.
/// `X.npy: truncated data: header says 20×1000 float64 (160000 bytes) but only 1200 bytes follow`.
public struct FileFormatError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The broad class of the failure, for callers that react differently to them
  /// (e.g. a caller that offers to overwrite for ``Kind/fileExists``).
  public enum Kind: String, Sendable, Equatable {
    /// The file could not be opened, read, written or renamed.
    case io
    /// The target of a write exists and overwriting was not allowed.
    case fileExists
    /// The bytes are not in the expected format (bad magic, bad header, bad JSON, …).
    case malformed
    /// The format is valid but uses a feature this reader does not support
    /// (an `.npy` version, a dtype, a rank).
    case unsupported
    /// The header promises more bytes than the file holds.
    case truncated
    /// The file holds more bytes than the header accounts for.
    case trailingBytes
    /// A size computed from the header does not fit in an `Int`.
    case sizeOverflow
    /// The contents are well-formed but not acceptable values (NaN, a bad label,
    /// a ragged CSV row, a non-numeric cell, mismatched row counts, …).
    case invalidContents
  }

  /// The broad class of the failure.
  public let kind: Kind
  /// The file as the user named it (a path or a display name), when known.
  public let file: String?
  /// What is wrong, one line, without the file name.
  public let problem: String
  /// What the caller can do about it, when there is a known remedy beyond ``kind``
  /// (a command-line tool names its flag for it).
  public let remedy: Remedy?

  /// A known way out of a failure, in the reader's terms.
  public enum Remedy: String, Sendable, Equatable {
    /// The labels are all 0 or 1: reading them with `zeroOneLabels` maps 0 → −1 and 1 → +1.
    case zeroOneLabels
  }

  /// An error about `file` (or about no particular file when `nil`).
  ///
  /// - Parameters:
  ///   - kind: The broad class of the failure.
  ///   - file: The file as the user named it, or `nil`.
  ///   - problem: What is wrong, one line, without the file name.
  ///   - remedy: A known way out, if any.
  public init(_ kind: Kind, file: String?, _ problem: String, remedy: Remedy? = nil) {
    self.kind = kind
    self.file = file
    self.problem = problem
    self.remedy = remedy
  }

  /// `FILE: problem`, or `problem` alone when no file is known. Always one
  /// line: line breaks, tabs and other control characters (which hostile files
  /// can put in names and headers) are shown escaped, `\n`, `\u{1B}`.
  public var description: String {
    let line = FileFormatError.printable(problem)
    guard let file, !file.isEmpty else { return line }
    return "\(FileFormatError.printable(file)): \(line)"
  }

  /// `text` with every control character, line or paragraph separator escaped.
  static func printable(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out.append(contentsOf: "\\n".unicodeScalars)
      case "\r": out.append(contentsOf: "\\r".unicodeScalars)
      case "\t": out.append(contentsOf: "\\t".unicodeScalars)
      default:
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 {
          out.append(contentsOf: "\\u{\(String(v, radix: 16, uppercase: true))}".unicodeScalars)
        } else {
          out.append(scalar)
        }
      }
    }
    return String(out)
  }

  /// The same error about another file name (used when a reader that only saw
  /// bytes is called on behalf of a named file).
  ///
  /// - Complexity: O(1).
  public func about(_ file: String) -> FileFormatError {
    FileFormatError(kind, file: file, problem, remedy: remedy)
  }

  /// The name used for `url` in messages: the path as it was given (relative
  /// paths stay relative), or the URL string for non-file URLs.
  ///
  /// - Complexity: O(1).
  public static func displayName(_ url: URL) -> String {
    url.isFileURL ? url.relativePath : url.absoluteString
  }

  /// Reads the whole file at `url`, turning every failure into a one-line ``FileFormatError``.
  static func readBytes(_ url: URL) throws -> [UInt8] {
    let name = displayName(url)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw FileFormatError(.io, file: name, "no such file")
    }
    guard !isDirectory.boolValue else { throw FileFormatError(.io, file: name, "is a directory, not a file") }
    do {
      return [UInt8](try Data(contentsOf: url))
    } catch {
      guard FileManager.default.isReadableFile(atPath: url.path) else {
        throw FileFormatError(.io, file: name, "cannot read the file (permission denied)")
      }
      throw FileFormatError(.io, file: name, "cannot read the file (\(error.localizedDescription))")
    }
  }

  /// `n` with thousands left unseparated and the unit pluralised: `1 byte`, `160000 bytes`.
  static func bytes(_ n: Int) -> String { n == 1 ? "1 byte" : "\(n) bytes" }

  /// `1 byte follows`, `1200 bytes follow`.
  static func follow(_ n: Int) -> String { n == 1 ? "1 byte follows" : "\(n) bytes follow" }
}

extension FileFormatError: ClassifiedError {
  /// Missing, unreadable or existing files are I/O; everything about their contents is data.
  public var failureClass: FailureClass { kind == .io || kind == .fileExists ? .io : .data }
}
