/**
 * A typed error for input that is not what a format promises. `where` names the place in the
 * input ("span 12", "batches[0].scopeSpans[1]") and the message says what was expected there,
 * so a user can find the fault in the file.
 */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
  constructor(
    readonly where: string,
    readonly expected: string,
  ) {
    super(where ? `${where}: ${expected}` : expected);
  }
}
