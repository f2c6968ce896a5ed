import Foundation

/// Writing to stderr, and progress lines only when stderr is a terminal.
enum Terminal {
  /// Whether stderr is a TTY (progress is shown only then).
  static var progressEnabled: Bool { isatty(STDERR_FILENO) != 0 }

  /// Writes a line to stderr.
  static func error(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// Overwrites the current stderr line (TTY only).
  static func status(_ line: String) {
    guard progressEnabled else { return }
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
  }
}
