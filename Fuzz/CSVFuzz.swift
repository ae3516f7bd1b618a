#if FUZZING
  /// libFuzzer's entry point: checks `ReaderProperties` on every input and stops at the first
  /// violation, so that libFuzzer keeps the input as a crash artefact.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let problems = ReaderProperties.violations(of: input)
    if !problems.isEmpty {
      fatalError("CSVStream property violated:\n" + problems.joined(separator: "\n"))
    }
    return 0
  }
#endif
