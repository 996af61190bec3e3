// Prints one plain closing line, `jest: N passed, N failed, N skipped`, after Jest's own summary, so
// tools that read a run's last lines see the counts without parsing Jest's format.
'use strict';
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
