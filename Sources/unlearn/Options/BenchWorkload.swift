/// A workload of `unlearn bench` (`--only W1,W5`; docs/PERFORMANCE.md).
enum BenchWorkload: String, CaseIterable, NamedListElement {
  case w1 = "W1", w2 = "W2", w3 = "W3", w4 = "W4", w5 = "W5", w6 = "W6", w6a = "W6a", w6b = "W6b", w6c = "W6c", w7 = "W7"

  static var elementName: String { "workload" }
}
