import Unlearning

/// Why a ledger command failed. Every case knows its ``FailureClass`` (docs/ERRORS.md):
/// a bad request or a ledger that does not check is data (65), a flag combination usage (64),
/// a held write lock external (69: another process is working on the ledger), files I/O (74).
package enum LedgerError: Error, Equatable, CustomStringConvertible {
  /// A request names an ID the ledger never had.
  case unknownID(String)
  /// A request names an ID forgotten by an earlier version.
  case alreadyForgotten(id: String, version: Int)
  /// A request names the same ID twice.
  case repeatedID(String)
  /// A request names no ID.
  case emptyRequest
  /// A request would forget every retained example.
  case wouldEmpty(retained: Int)
  /// A request ID already applied with other contents.
  case requestConflict(id: String, stored: [String], given: [String])
  /// The example IDs given at `init` (duplicated, empty, not one per row) — the whole message.
  case invalidIDs(String)
  /// A line of a requests file that is not a request (file, line number, why).
  case malformedRequest(file: String?, line: Int, String)
  /// A model whose shape does not fit the ledger's data (why).
  case foreignModel(String)
  /// `init` into a folder that exists and is not empty.
  case notEmpty(String)
  /// A folder without a ledger database.
  case missingLedger(String)
  /// A file that is not a ledger database (path, why).
  case notALedger(String, String)
  /// A ledger whose contents do not check: the first bad entry (`nil`: not about one version) and why.
  case corrupt(version: Int?, String)
  /// The write lock stayed held by another process for the whole busy timeout.
  case locked(seconds: Double)
  /// A version that does not exist.
  case noSuchVersion(Int, head: Int)
  /// `verify --replay` of a ledger that does not keep the forgotten features.
  case replayNeedsFeatures
  /// A file operation failed (the whole message).
  case io(String)

  /// One line saying what is wrong.
  package var description: String {
    switch self {
    case .unknownID(let id): return "unknown example ID \"\(id)\": not in this ledger"
    case .alreadyForgotten(let id, let v): return "example \"\(id)\" was already forgotten at version \(v)"
    case .repeatedID(let id): return "the request names example \"\(id)\" twice"
    case .emptyRequest: return "the request names no example to forget"
    case .wouldEmpty(let m):
      return "the request would forget all \(m) retained examples: nothing would be retained"
    case .requestConflict(let id, let stored, let given):
      return "request \"\(id)\" was already applied with other contents (it forgot \(Self.list(stored)), this one names \(Self.list(given))); a request ID names one request"
    case .invalidIDs(let why): return why
    case .malformedRequest(let file?, let line, let why): return "\(file): line \(line): \(why)"
    case .malformedRequest(nil, let line, let why): return "line \(line): \(why)"
    case .foreignModel(let why): return "foreign model: \(why)"
    case .notEmpty(let path): return "\(path): exists and is not empty; a new ledger needs a new or empty folder"
    case .missingLedger(let path): return "\(path): not a ledger (no \(path)/ledger.sqlite); create one with unlearn ledger init"
    case .notALedger(let path, let why): return "\(path): not a ledger database (\(why))"
    case .corrupt(let version?, let why): return "ledger version \(version): \(why)"
    case .corrupt(nil, let why): return "corrupt ledger: \(why)"
    case .locked(let seconds):
      return "the ledger is busy: another process held its write lock for the whole busy timeout (\(Self.seconds(seconds)) s); retry, or raise --busy-timeout"
    case .noSuchVersion(let v, let head): return "no version \(v) in this ledger (versions 0…\(head))"
    case .replayNeedsFeatures:
      return "--replay re-derives every version from the forgotten examples too, but this ledger deleted their features; only a ledger created with --keep-forgotten-features can be replayed"
    case .io(let why): return why
    }
  }

  private static func list(_ ids: [String]) -> String { "[" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
  private static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
}

extension LedgerError: ClassifiedError {
  /// data for requests and contents, usage for flags, external for the lock, I/O for files.
  package var failureClass: FailureClass {
    switch self {
    case .unknownID, .alreadyForgotten, .repeatedID, .emptyRequest, .wouldEmpty, .requestConflict, .invalidIDs,
         .malformedRequest, .foreignModel, .notALedger, .corrupt:
      return .data
    case .noSuchVersion, .replayNeedsFeatures: return .usage
    case .locked: return .external
    case .notEmpty, .missingLedger, .io: return .io
    }
  }
}
