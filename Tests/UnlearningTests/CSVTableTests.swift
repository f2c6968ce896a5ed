import Foundation
import LinearAlgebra
import Testing
import Unlearning

@Suite("CSV tables")
struct CSVTableTests {
  func parse(_ text: String, header: Bool = true, delimiter: Character = ",") -> String {
    IOTestSupport.message { _ = try CSVTable.parse(text, name: "d.csv", hasHeader: header, delimiter: delimiter) }
  }

  /// `text` written to `name` in a fresh directory and loaded with DatasetLoader.loadCSV;
  /// the message has the temporary path replaced by `name`.
  func loadCSV(
    _ text: String, name: String = "d.csv", header: Bool = true, label: DatasetLoader.LabelColumn = .last, zeroOne: Bool = false
  ) throws -> (Dataset?, String) {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    var data: Dataset?
    let message = IOTestSupport.message {
      data = try DatasetLoader.loadCSV(url, hasHeader: header, labelColumn: label, zeroOneLabels: zeroOne)
    }
    return (data, message.replacingOccurrences(of: url.path, with: name))
  }

  @Test("A table with a header parses, quotes, spaces and CRLF included")
  func withHeader() throws {
    let text = "\u{FEFF}a,b,label\r\n1, 2.5 ,1\r\n\"-3e2\",0x1p-2,-1\r\n"
    let table = try CSVTable.parse(text, name: "d.csv", hasHeader: true)
    #expect(table.header == ["a", "b", "label"])
    #expect(table.rowCount == 2)
    #expect(table.columnCount == 3)
    #expect(table.values == [1, 2.5, 1, -300, 0.25, -1])
    #expect(table.lineNumbers == [2, 3])
    #expect(table.column(2) == [1, -1])
    #expect(table.matrix(removingColumn: 2) == Matrix(rows: 2, columns: 2, elements: [1, 2.5, -300, 0.25]))
  }

  @Test("A table without a header, blank lines and a missing final newline parse")
  func withoutHeader() throws {
    let table = try CSVTable.parse("1,2\n\n3,4\n   \n5,6", name: "d.csv", hasHeader: false)
    #expect(table.header == nil)
    #expect(table.values == [1, 2, 3, 4, 5, 6])
    #expect(table.lineNumbers == [1, 3, 5])
    let tabs = try CSVTable.parse("x\ty\n1\t2\n", name: "d.tsv", hasHeader: true, delimiter: "\t")
    #expect(tabs.values == [1, 2])
  }

  @Test("Exact values survive: shortest reprs parse to the same doubles")
  func exactValues() throws {
    let values = NpyFormatTests.awkward
    let text = values.map { "\($0)" }.joined(separator: ",") + "\n"
    let table = try CSVTable.parse(text, name: "d.csv", hasHeader: false)
    #expect(table.values.map(\.bitPattern) == values.map(\.bitPattern))
  }

  @Test("Ragged rows name the line and the field counts")
  func ragged() {
    #expect(parse("a,b,c\n1,2,3\n4,5\n") == "d.csv: ragged rows: line 3 has 2 fields but the header (line 1) has 3")
    #expect(parse("a,b,c\n1,2,3,4\n") == "d.csv: ragged rows: line 2 has 4 fields but the header (line 1) has 3")
    #expect(parse("1,2\n\n3\n", header: false) == "d.csv: ragged rows: line 3 has 1 field but line 1 has 2")
    // A quoted line break moves the line count on.
    #expect(parse("a,b\n\"1\n\",2\n3\n") == "d.csv: ragged rows: line 4 has 1 field but the header (line 1) has 2")
    // A trailing delimiter is an extra (empty) field.
    #expect(parse("a,b\n1,2,\n") == "d.csv: ragged rows: line 2 has 3 fields but the header (line 1) has 2")
  }

  @Test("Non-numeric, empty and non-finite cells name the line, the column and the text")
  func badCells() {
    #expect(parse("a,b\n1,2\n3,abc\n") == "d.csv: line 3, column 2 ('b'): \"abc\" is not a number")
    #expect(parse("1,2\n3,x\n", header: false) == "d.csv: line 2, column 2: \"x\" is not a number")
    #expect(parse("a,b\n1,\n") == "d.csv: line 2, column 2 ('b'): empty cell")
    #expect(parse("a,b\n1, ,2\n") == "d.csv: ragged rows: line 2 has 3 fields but the header (line 1) has 2")
    #expect(parse("a,b,c\n1,,2\n") == "d.csv: line 2, column 2 ('b'): empty cell")
    #expect(parse("a,b\nnan,1\n") == "d.csv: line 2, column 1 ('a'): \"nan\" is not a finite number")
    #expect(parse("a,b\n1,-inf\n") == "d.csv: line 2, column 2 ('b'): \"-inf\" is not a finite number")
    #expect(parse("a,b\n1,1e999\n") == "d.csv: line 2, column 2 ('b'): \"1e999\" is not a finite number")
    #expect(parse("1,2\n3,4,5", header: false) == "d.csv: ragged rows: line 2 has 3 fields but line 1 has 2")
    #expect(
      parse("x1,x2,y\n1,2,1\n", header: false)
        == "d.csv: line 1, column 1: \"x1\" is not a number (line 1 looks like a header row: load the file with a header)")
    #expect(parse("a,b\n1,\"2\"x\n") == "d.csv: malformed CSV on or after line 2: Can't have non-quote here: x")
  }

  @Test("Empty files and header-only files are errors")
  func empty() {
    #expect(parse("") == "d.csv: empty file: no rows")
    #expect(parse("\n\n  \n", header: false) == "d.csv: empty file: no rows")
    #expect(parse("a,b,c\n") == "d.csv: no data rows after the header (line 1)")
  }

  @Test("Labels come from the named, indexed or last column")
  func labelColumns() throws {
    let text = "x1,y,x2\n1,1,10\n2,-1,20\n3,1,30\n"
    let (byName, m1) = try loadCSV(text, label: .name("y"))
    #expect(m1 == "no error")
    #expect(byName?.labels == [1, -1, 1])
    #expect(byName?.features == Matrix(rows: 3, columns: 2, elements: [1, 10, 2, 20, 3, 30]))
    let (byIndex, _) = try loadCSV(text, label: .index(1))
    #expect(byIndex == byName)
    let (last, _) = try loadCSV("1,2,1\n3,4,-1\n", header: false)
    #expect(last?.labels == [1, -1])
    #expect(last?.features == Matrix(rows: 2, columns: 2, elements: [1, 2, 3, 4]))
    let (tsv, _) = try loadCSV("a\tb\n5\t-1\n", name: "d.tsv")
    #expect(tsv?.labels == [-1])
  }

  @Test("Unknown label columns are errors that list what exists")
  func badLabelColumns() throws {
    let text = "x1,y,x2\n1,1,10\n"
    let (_, byName) = try loadCSV(text, label: .name("label"))
    #expect(byName == "d.csv: no column named 'label' (the header has 'x1', 'y', 'x2')")
    let (_, byIndex) = try loadCSV(text, label: .index(3))
    #expect(byIndex == "d.csv: label column index 3 is out of range: the file has 3 columns (indices 0–2)")
    let (_, negative) = try loadCSV(text, label: .index(-1))
    #expect(negative == "d.csv: label column index -1 is out of range: the file has 3 columns (indices 0–2)")
    let (_, noHeader) = try loadCSV("1,1\n", header: false, label: .name("y"))
    #expect(noHeader == "d.csv: label column 'y' is given by name but the file is read without a header row")
    let (_, twice) = try loadCSV("y,y\n1,1\n", label: .name("y"))
    #expect(twice == "d.csv: the header has 2 columns named 'y' (columns 1, 2)")
    let (_, single) = try loadCSV("y\n1\n")
    #expect(single == "d.csv: the file has 1 column: need at least one feature column and a label column")
  }

  @Test("0/1 labels need zeroOneLabels, then map to −1/+1")
  func zeroOneLabels() throws {
    let text = "a,b,y\n1,2,0\n3,4,1\n"
    let (_, without) = try loadCSV(text)
    #expect(
      without
        == "d.csv: line 2, column 3 ('y'): label is 0; labels must be −1 or +1 (these labels are 0/1, which can be read as −1/+1)")
    let (with, message) = try loadCSV(text, zeroOne: true)
    #expect(message == "no error")
    #expect(with?.labels == [-1, 1])
    let (_, notZeroOne) = try loadCSV("a,y\n1,1\n2,-1\n", zeroOne: true)
    #expect(notZeroOne == "d.csv: line 3, column 2 ('y'): label is -1; with 0/1 labels requested, labels must be 0 or 1")
    let (_, two) = try loadCSV("a,y\n1,1\n2,2\n")
    #expect(two == "d.csv: line 3, column 2 ('y'): label is 2; labels must be −1 or +1")
    let (_, half) = try loadCSV("a,y\n1,0.5\n")
    #expect(half == "d.csv: line 2, column 2 ('y'): label is 0.5; labels must be −1 or +1")
  }

  @Test("Random text never crashes: it parses or throws a one-line FileFormatError")
  func randomText() {
    var random = SeededGenerator(seed: 13)
    let alphabet = Array("0123456789.,-+e\"\n\r\t ;anxy")
    for _ in 0..<1500 {
      let text = String((0..<Int.random(in: 0..<40, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
      for header in [false, true] {
        do {
          let table = try CSVTable.parse(text, name: "r.csv", hasHeader: header)
          #expect(table.values.count == table.rowCount * table.columnCount)
          #expect(table.values.allSatisfy { $0.isFinite })
        } catch let error as FileFormatError {
          #expect(error.description.hasPrefix("r.csv: "))
          #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        } catch {
          Issue.record("not a FileFormatError: \(error)")
        }
      }
    }
  }

  @Test("Files that are not UTF-8 text are errors")
  func notText() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("d.csv")
    try Data([0x31, 0x2C, 0xFF, 0xFE, 0x0A]).write(to: url)
    #expect(
      IOTestSupport.message { _ = try CSVTable.read(url, hasHeader: false) }
        == "\(url.path): not UTF-8 text (is it really a CSV file?)")
  }
}
