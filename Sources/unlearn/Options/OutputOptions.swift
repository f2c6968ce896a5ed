import ArgumentParser

/// `--json` and `--force`, shared by the commands that print results and write files.
struct OutputOptions: ParsableArguments {
  @Flag(help: "Print the results as JSON on stdout (schemas in the README).")
  var json = false
  @Flag(help: "Overwrite an existing output file.")
  var force = false
}
