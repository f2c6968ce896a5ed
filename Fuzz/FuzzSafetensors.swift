// libFuzzer target: SafetensorsFile.parse and ModelFile.decode on arbitrary bytes.
import Unlearning

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let file = try? SafetensorsFile.parse(bytes, name: "fuzz.safetensors") {
    _ = try? ModelFile.decode(file)
  }
  return 0
}
