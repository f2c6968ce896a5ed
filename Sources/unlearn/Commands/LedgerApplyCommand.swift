import ArgumentParser
import Foundation
import Ledger
import Unlearning

/// `unlearn ledger apply`: a file of deletion requests, each applied exactly once.
struct LedgerApplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Apply a file of deletion requests in order, each exactly once (an interrupted apply resumes when re-run).",
    discussion: """
      REQUESTS is JSON Lines, one request per line: {"request_id": "r1", "forget": ["17", "42"]}. Each request is \
      one `ledger forget` (one version, one transaction) with the method, certificate and policy flags given here. \
      A request ID already in the ledger with the same IDs is skipped, so running the file again after a crash or a \
      kill applies only what is missing; the same ID with other IDs is refused (exit 65). The first failing \
      request stops the run; the ones before it stay applied.

      Example:
        printf '%s\\n' '{"request_id": "r1", "forget": ["3"]}' '{"request_id": "r2", "forget": ["5", "8"]}' > requests.jsonl
        unlearn ledger apply ledger requests.jsonl
      """)

  @OptionGroup var location: LedgerLocation
  @Argument(help: ArgumentHelp("The requests, JSON Lines.", valueName: "requests.jsonl"))
  var requests: String
  @OptionGroup var options: LedgerMethodOptions
  @Flag(help: "Print a JSON summary: each request's version and status.")
  var json = false

  struct Summary: Encodable {
    struct Item: Encodable {
      var requestId: String
      var version: Int
      var status: String
    }
    var applied: Int
    var skipped: Int
    var head: Int
    var requests: [Item]
  }

  func run() throws {
    try CLIError.reporting {
      let list = try LedgerRequestsFile.read(URL(fileURLWithPath: requests))
      let ledger = try location.open()
      let settings = options.settings
      var summary = Summary(applied: 0, skipped: 0, head: 0, requests: [])
      for request in list {
        let outcome = try ledger.forget(request, settings: settings, progress: Progress.training)
        Progress.clear()
        let e = outcome.entry
        switch outcome {
        case .applied:
          summary.applied += 1
          if !json {
            let own = e.certificates.first { $0.kind == .self }
            print("\(e.requestID): version \(e.version), forgot \(LedgerText.ids(e.forgottenIDs))"
                  + (own.map { ", self ε/‖θ̃‖ = \(Format.sci($0.epsilonRelative))" } ?? "")
                  + (e.fallback.map { " (fallback: \($0))" } ?? ""))
          }
        case .skipped:
          summary.skipped += 1
          if !json { print("\(e.requestID): already applied as version \(e.version), skipped") }
        }
        summary.requests.append(.init(requestId: e.requestID, version: e.version, status: outcomeIsApplied(outcome) ? "applied" : "skipped"))
      }
      let head = try ledger.entries().last?.version ?? 0
      summary.head = head
      if json {
        print(try JSONOutput.encode(summary))
      } else {
        print("applied \(summary.applied) request\(summary.applied == 1 ? "" : "s"), skipped \(summary.skipped); head is version \(head)")
      }
    }
  }

  private func outcomeIsApplied(_ outcome: LedgerForgetOutcome) -> Bool {
    if case .applied = outcome { return true }
    return false
  }
}
