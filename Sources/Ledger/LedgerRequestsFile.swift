import Foundation
import Unlearning

/// The requests of `unlearn ledger apply`: JSON Lines, one request per line,
///
///     {"request_id": "r1", "forget": ["17", "42"]}
///
/// blank lines ignored. Each request ID names one request: applying the file again skips the requests
/// already applied, so an interrupted `apply` resumes where it stopped.
package enum LedgerRequestsFile {
  private struct Line: Decodable {
    var request_id: String
    var forget: [String]
  }

  /// The requests in `text`, in order.
  ///
  /// - Complexity: O(text size).
  /// - Throws: ``LedgerError/malformedRequest(file:line:_:)`` naming the first bad line (not JSON, a missing or
  ///   mistyped key, an empty request ID, the same request ID twice with different IDs).
  package static func parse(_ text: String) throws -> [LedgerRequest] {
    var requests: [LedgerRequest] = []
    var seen: [String: [String]] = [:]
    for (k, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty { continue }
      let parsed: Line
      do {
        parsed = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
      } catch {
        throw LedgerError.malformedRequest(file: nil, line: k + 1, "not a request; each line is {\"request_id\": \"r1\", \"forget\": [\"17\", \"42\"]}")
      }
      guard !parsed.request_id.isEmpty else { throw LedgerError.malformedRequest(file: nil, line: k + 1, "the request_id is empty") }
      if let earlier = seen[parsed.request_id] {
        guard earlier == parsed.forget else {
          throw LedgerError.malformedRequest(file: nil, line: k + 1, "request \"\(parsed.request_id)\" appears earlier in the file with other IDs")
        }
        continue
      }
      seen[parsed.request_id] = parsed.forget
      requests.append(LedgerRequest(id: parsed.request_id, forget: parsed.forget))
    }
    return requests
  }

  /// The requests in the file at `url`.
  ///
  /// - Throws: ``LedgerError/io(_:)`` for an unreadable file; the errors of ``parse(_:)``.
  package static func read(_ url: URL) throws -> [LedgerRequest] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw LedgerError.io("\(FileFormatError.displayName(url)): no such file or not readable as UTF-8 text")
    }
    do {
      return try parse(text)
    } catch LedgerError.malformedRequest(nil, let line, let why) {
      throw LedgerError.malformedRequest(file: FileFormatError.displayName(url), line: line, why)
    }
  }
}
