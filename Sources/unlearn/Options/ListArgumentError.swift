/// Why the text of a comma-separated list flag was refused. ArgumentParser shows
/// its ``description`` after the flag and the whole value, as a usage error
/// (exit 64): `Error: The value '1,a' is invalid for '--forget <list>': "a" is
/// not an integer (comma-separated integers, e.g. 0 or 3,17)`.
struct ListArgumentError: Error, CustomStringConvertible {
  /// What is wrong, naming the bad element.
  let problem: String
  /// What the list holds (``ListElement/listSyntax``).
  let syntax: String

  var description: String { "\(problem) (\(syntax))" }
}
