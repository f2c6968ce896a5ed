// libFuzzer target: CSVTable.parse on arbitrary text (valid UTF-8 only: the file reader rejects the rest first).
import Unlearning

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
  _ = try? CSVTable.parse(text, name: "fuzz.csv", hasHeader: true)
  _ = try? CSVTable.parse(text, name: "fuzz.csv", hasHeader: false)
  return 0
}
