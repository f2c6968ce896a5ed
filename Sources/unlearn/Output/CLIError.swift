/// A failure reported as one line on stderr with a non-zero exit.
enum CLIError: Error, CustomStringConvertible {
  case failed(String)

  var description: String {
    switch self {
    case .failed(let why): return why
    }
  }
}
