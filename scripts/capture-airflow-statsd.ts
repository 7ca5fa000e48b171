// npm run capture-airflow-statsd: runs Airflow 3.1.8 with the platform's rendered airflow.cfg and
// the test DAGs, and records every StatsD datagram it sent as test/fixtures/airflow-statsd-capture.txt.
import { captureAirflowStatsd, CAPTURE_FIXTURE, writeCapture } from "../test/support/airflow-capture";
import { airflowFiles } from "../test/support/airflow-files";
import { captureEnvironment } from "../test/support/capture-environment";

const started = Date.now();
captureAirflowStatsd(airflowFiles(captureEnvironment()))
  .then((result) => {
    writeCapture(result.datagrams);
    console.log(`${result.datagrams.length} datagrams in ${CAPTURE_FIXTURE}; ${((Date.now() - started) / 1000).toFixed(1)} s`, result.timings);
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
