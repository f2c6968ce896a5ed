import Experiments
import Foundation
import Testing

/// The one codec of `runs.csv`: RFC 4180 quoting, doubles written as before, typed rows
/// round-tripping through cells, and torn last lines left out.
@Suite("runs.csv codec: quoting, numbers, typed rows, torn lines")
struct RunsCSVTests {
  /// A row with every kind of field the experiments use.
  struct Sample: Codable, Equatable {
    var seed: Int
    var value: Double
    var missing: Double?
    var converged: Bool?
    var note: String
    var seconds: Rounded?
    var group: Group

    enum CodingKeys: String, CodingKey { case seed, value, missing, converged, note, seconds, group }
  }

  /// Columns shared by several rows, flattened into them.
  struct Group: RunColumnGroup, Equatable {
    var tauRetrained: Double?
    enum CodingKeys: String, CodingKey { case tauRetrained = "tau_retrained" }
  }

  let columns = ["seed", "value", "missing", "tau_retrained", "converged", "note", "seconds"]

  @Test("Fields with a comma, quote or line break are quoted with quotes doubled; others are written as is")
  func quoting() {
    #expect(RunsCSV.field("plain text; no quotes") == "plain text; no quotes")
    #expect(RunsCSV.field("a, b") == "\"a, b\"")
    #expect(RunsCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(RunsCSV.field("two\nlines") == "\"two\nlines\"")
    #expect(RunsCSV.field("cr\r") == "\"cr\r\"")
    #expect(RunsCSV.line(["1", "x,y", ""]) == "1,\"x,y\",\n")
  }

  @Test("Doubles are the shortest text that reads back to the same bits; non-finite values are nan, inf, -inf")
  func numbers() {
    let cases: [(Double, String)] = [(0.1, "0.1"), (1, "1.0"), (1e-5, "1e-05"), (-0.0, "-0.0"), (123456789.125, "123456789.125"),
                                     (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"), (5e-324, "5e-324")]
    for (x, text) in cases {
      #expect(RunsCSV.cell(x) == text)
      let back = RunsCSV.number(text)
      #expect(back.map { $0.bitPattern == x.bitPattern || (x.isNaN && $0.isNaN) } == true, "\(text)")
    }
    #expect(RunsCSV.number("") == nil && RunsCSV.number("abc") == nil)
  }

  @Test("A typed row writes its cells in column order (nil empty, Bool 1/0, Rounded fixed) and reads back equal")
  func typedRoundTrip() throws {
    let codec = RunRowCodec<Sample>(columns: columns)
    let row = Sample(seed: 3, value: 0.1, missing: nil, converged: true, note: "failed: a, \"b\"\nc",
                     seconds: Rounded(1.23456, digits: 3), group: Group(tauRetrained: 2.5e-7))
    let cells = try codec.cells(row)
    #expect(cells == ["3", "0.1", "", "2.5e-07", "1", "failed: a, \"b\"\nc", "1.235"])
    let text = RunsCSV(columns: columns).headerLine + (try codec.lines([row, row]))
    let rows = try codec.rows(ofText: text)
    #expect(rows.count == 2)
    var expected = row
    expected.seconds = Rounded(1.235, digits: 3)  // read back as written
    #expect(rows[0] == expected && rows[1] == expected)
    #expect(try codec.lines(rows) == codec.lines([row, row]))
  }

  @Test("A row field that is no column is an encoding error; other columns in the file are a journal error")
  func mismatches() throws {
    let codec = RunRowCodec<Sample>(columns: columns.filter { $0 != "note" })
    let row = Sample(seed: 0, value: 1, note: "", group: Group())
    #expect(throws: EncodingError.self) { _ = try codec.cells(row) }
    #expect(throws: SweepError.self) { _ = try RunRowCodec<Sample>(columns: columns).rows(ofText: "seed,value\n1,2\n") }
    #expect(throws: DecodingError.self) {
      _ = try RunRowCodec<Sample>(columns: columns).rows(ofText: RunsCSV(columns: columns).headerLine + "x,1,,,,,\n")
    }
  }

  @Test("A torn last line is left out, even when a complete record holds a quoted line break")
  func tornLine() throws {
    let header = RunsCSV.line(["seed", "note"])
    let complete = header + RunsCSV.line(["0", "a,\nb"]) + RunsCSV.line(["1", ""])
    for torn in ["2,\"half a no", "2", "2,\"quoted, then a line\n break"] {
      let (table, length) = try #require(RunsCSV.parse(complete + torn))
      #expect(length == complete.utf8.count, "\(torn)")
      #expect(table.columns == ["seed", "note"])
      #expect(table.records == [["0", "a,\nb"], ["1", ""]])
    }
    #expect(RunsCSV.parse("seed,no") == nil)
    #expect(RunsCSV.parse(header)?.table.records == [])
  }

  @Test("depth's per-α columns are written and read back by name")
  func depthColumns() throws {
    let experiment = try #require(try ExperimentCatalog.make("depth", options: ExperimentOptions(alphas: [0.5, 1])) as? DepthExperiment)
    #expect(experiment.columns.suffix(3) == ["epsilon_alpha_0.5", "epsilon_alpha_1.0", "seconds"])
    let row = DepthExperiment.Row(values: DepthExperiment.Values(seed: 1, L: 2, m: 20, d: 100, n: 50, phi: 0.25), epsilonAlpha: [1: 0.125])
    let cells = try experiment.codec.cells(row)
    #expect(cells.suffix(3) == ["", "0.125", ""])
    #expect(try experiment.codec.row(cells) == row)
  }
}
