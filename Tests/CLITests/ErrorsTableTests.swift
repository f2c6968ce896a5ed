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
    let documented = doc.split(separator: "\n").map(String.init).filter { $0.hasPrefix("| ") }.map(NumberedText.init)
    #expect(produced.count >= 25)
    for row in produced {
      let got = NumberedText(row)
      #expect(documented.contains { $0.matches(got) }, "not in docs/ERRORS.md: \(row)")
    }
    // Every class answers with its code; none crashes (exit 0 would mean a bad input was accepted).
    for row in produced { #expect(!row.hasSuffix("| 0 |"), "accepted: \(row)") }
  }
}

/// A line split into its text and the decimal numbers in it, so that two lines can be compared with the
/// numbers to a tolerance: the last digits of a computed number (a margin) depend on the machine's BLAS
/// kernels, the text and the integers (counts, exit codes, sizes) do not.
struct NumberedText {
  /// The line with every decimal number replaced by `#`.
  var skeleton: String
  /// The decimal numbers, in order.
  var numbers: [Double]

  init(_ line: String) {
    let pattern = try! Regex(#"-?[0-9]+\.[0-9]+(?:e[-+]?[0-9]+)?"#)
    var skeleton = "", numbers: [Double] = [], rest = line[...]
    while let match = rest.firstMatch(of: pattern) {
      skeleton += rest[..<match.range.lowerBound] + "#"
      numbers.append(Double(rest[match.range])!)
      rest = rest[match.range.upperBound...]
    }
    self.skeleton = skeleton + rest
    self.numbers = numbers
  }

  /// Same text and integers; decimals equal to a relative 2e-5. Messages print computed numbers to six
  /// significant digits, so two machines whose sums differ in the last bits can print numbers one unit
  /// apart in the sixth digit, at most 1e-5 relative (for a leading digit of 1), never more.
  func matches(_ other: NumberedText) -> Bool {
    skeleton == other.skeleton && numbers.count == other.numbers.count
      && zip(numbers, other.numbers).allSatisfy { abs($0 - $1) <= 2e-5 * max(abs($0), abs($1)) }
  }
}
