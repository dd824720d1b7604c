/**
 * Prints one plain closing line after every jest run, "N passed, N failed" (", N skipped" when any), so CI logs
 * end with a count any reader can parse.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line =
      `${results.numPassedTests} passed, ${results.numFailedTests} failed` +
      (skipped ? `, ${skipped} skipped` : '');
    // at exit, so it is the log's last line, after jest's own summary
    process.once('exit', () => process.stderr.write(`\n${line}\n`));
  }
}

module.exports = SummaryReporter;
