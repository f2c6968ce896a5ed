import Foundation
import Testing

/// docs/ERRORS.md stays true: its table is what scripts/make-errors-table.sh prints now.
@Suite("The table of bad inputs")
struct ErrorsTableTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let hasNumPy: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import numpy"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }()

  @Test("Every documented bad input gets the documented message and exit code",
        .enabled(if: ErrorsTableTests.hasNumPy, "python3 with numpy builds the bad files"))
  func tableIsCurrent() throws {
    let process = Process()
    process.executableURL = Self.root.appendingPathComponent("scripts/make-errors-table.sh")
    process.environment = ProcessInfo.processInfo.environment.merging(["UNLEARN": CLIRunner.binary.path]) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let produced = output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("| ") && !$0.hasPrefix("| input") }
    let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/ERRORS.md"), encoding: .utf8)
    let documented = Set(doc.split(separator: "\n").map(String.init))
    #expect(produced.count >= 25)
    for row in produced { #expect(documented.contains(row), "not in docs/ERRORS.md: \(row)") }
    // Every class answers with its code; none crashes (exit 0 would mean a bad input was accepted).
    for row in produced { #expect(!row.hasSuffix("| 0 |"), "accepted: \(row)") }
  }
}
