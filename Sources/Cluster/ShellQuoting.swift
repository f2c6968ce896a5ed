/// Quoting for POSIX shells (the generated batch scripts).
package enum ShellQuoting {
  /// `text` as one shell word: unchanged when it holds only characters no shell
  /// interprets, otherwise in single quotes (a single quote inside becomes `'\''`).
  package static func quote(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%")
    if !text.isEmpty, text.allSatisfy({ safe.contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// `text` inside double quotes, as Slurm reads the value of an `#SBATCH` option
  /// (a path with spaces stays one value). Fails on characters that cannot be
  /// written there: double quotes and line breaks.
  package static func sbatchValue(_ text: String) throws -> String {
    guard !text.contains(where: { $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      throw ClusterError.invalidSetting(.folder, "the path \(text) contains a double quote or a line break, which an #SBATCH line cannot hold; choose another folder")
    }
    return "\"" + text + "\""
  }
}
