// The quickstart: the same tagged functions called the three ways Prefect code calls them, against
// $PREFECT_API_URL (a real Prefect server, or the demo's stand-in).
import { ClientContext, ObjectNotFound } from "inject-client/runtime";
import { PrefectClient } from "./generated/prefect/index.js";
import { cancelRun, ensureDeployment, ensureFlow, recentRuns, startRun } from "./flows.js";
import { describeClient, traceToConsole } from "./trace.js";

const FLOW = "inject-client-quickstart";
const DEPLOYMENT = "nightly";
const MISSING_DEPLOYMENT = "does-not-exist";

function scenario(title: string): void {
  console.log(`\n  ${title}`);
}
function call(text: string): void {
  console.log(`  ● ${text}`);
}

traceToConsole();

scenario("1. No client passed and none in context: the call creates its own, and closes it after");
call(`ensureFlow(${JSON.stringify(FLOW)})`);
const flow = await ensureFlow(FLOW);

scenario("2. Many calls inside ClientContext.run share one client, which they never close");
{
  await using shared = PrefectClient.fromEnv();
  describeClient(shared, "the shared client");
  await ClientContext.run({ client: shared }, async () => {
    call(`ensureDeployment(flow.id, ${JSON.stringify(DEPLOYMENT)})`);
    await ensureDeployment(flow.id, DEPLOYMENT);
    call(`startRun(${JSON.stringify(FLOW)}, ${JSON.stringify(DEPLOYMENT)}, { rows: 100 })`);
    const run = await startRun(FLOW, DEPLOYMENT, { rows: 100 });
    call(`cancelRun(run.id)`);
    await cancelRun(run.id);
  });
  console.log(`    (the shared client is still open after the context: closed=${shared.closed}; \`await using\` closes it)`);
}

scenario("3. The caller passes its own client: used as is, never closed by the call");
{
  await using mine = PrefectClient.fromEnv();
  describeClient(mine, "the caller's client");
  call(`recentRuns(${JSON.stringify(FLOW)}, { client: mine, limit: 3 })`);
  const runs = await recentRuns(FLOW, { client: mine, limit: 3 });
  console.log(`    ${runs.length} run(s) returned; the caller's client is open: ${!mine.closed}`);
}

scenario("4. An API error surfaces as a typed error, and the created client is still closed");
call(`startRun(${JSON.stringify(FLOW)}, ${JSON.stringify(MISSING_DEPLOYMENT)}, {})`);
try {
  await startRun(FLOW, MISSING_DEPLOYMENT, {});
  throw new Error("expected ObjectNotFound for a deployment that does not exist");
} catch (error) {
  if (!(error instanceof ObjectNotFound)) throw error;
  console.log(`    caught ObjectNotFound: status ${error.status}, detail ${JSON.stringify(error.detail)}`);
}
