// libFuzzer target: NpyFormat.parse on arbitrary bytes must return or throw a
// FileFormatError, never crash, hang or trip the address sanitizer.
import Unlearning

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  _ = try? NpyFormat.parse(bytes, name: "fuzz.npy")
  return 0
}
