import ArgumentParser

/// Parses comma-separated lists given on the command line.
enum IndexList {
  /// `"3,17"` → `[3, 17]`.
  static func integers(_ text: String, flag: String) throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap { Int($0) }
    guard !text.isEmpty, values.count == parts.count else {
      throw ValidationError("\(flag) must be comma-separated integers, e.g. 0 or 3,17 (got \"\(text)\")")
    }
    return values
  }

  /// `"ga-kkt, newton"` → `["ga-kkt", "newton"]`, each checked against `allowed`
  /// (`what` names one entry in the error, e.g. "method").
  static func names(_ text: String, flag: String, allowed: [String], what: String) throws -> [String] {
    try text.split(separator: ",").map { name in
      let trimmed = name.trimmingCharacters(in: .whitespaces)
      guard allowed.contains(trimmed) else {
        throw ValidationError("\(flag): unknown \(what) \"\(trimmed)\"; the \(what)s are \(allowed.joined(separator: ", "))")
      }
      return trimmed
    }
  }

  /// `"0,1e-3,0.1"` → `[0, 0.001, 0.1]`.
  static func numbers(_ text: String, flag: String) throws -> [Double] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap { Double($0) }
    guard !text.isEmpty, values.count == parts.count, values.allSatisfy(\.isFinite) else {
      throw ValidationError("\(flag) must be comma-separated numbers, e.g. 0,1e-3,0.1 (got \"\(text)\")")
    }
    return values
  }
}

import Foundation
